import CSystemd
import Foundation
import Logging

/// A swift-log handler that writes to journald with structured fields: every metadata key
/// becomes an upper-case field (`queue_id` → `QUEUE_ID`), so `journalctl QUEUE_ID=…` finds a
/// message's lines.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = ["MESSAGE=\(event.message)", "PRIORITY=\(Self.priority(event.level))", "SYSLOG_IDENTIFIER=gannet", "GANNET_LOGGER=\(label)"]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        var summary: [String] = []
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append("\(Self.fieldName(key))=\(value)")
            summary.append("\(key)=\(value)")
        }
        // MESSAGE also carries the fields, for plain `journalctl` readers.
        if !summary.isEmpty { fields[0] += " " + summary.joined(separator: " ") }
        var buffers = fields.map { Array($0.utf8) }
        var vectors: [iovec] = []
        vectors.reserveCapacity(buffers.count)
        for index in buffers.indices {
            buffers[index].withUnsafeMutableBytes { bytes in
                vectors.append(iovec(iov_base: bytes.baseAddress, iov_len: bytes.count))
            }
        }
        // The buffers stay alive (and unmoved) until this call returns.
        withExtendedLifetime(buffers) {
            _ = sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }

    static func fieldName(_ key: String) -> String {
        let mapped = key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let name = String(mapped.drop(while: { $0 == "_" || $0.isNumber }))
        return name.isEmpty ? "FIELD" : name
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}

/// Chooses where logs go, once, for the executable: journald when stderr is connected to the
/// journal (systemd sets JOURNAL_STREAM to stderr's device:inode), else stderr.
public enum LogDestination {
    public static var stderrIsJournal: Bool {
        guard let stream = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return stream == "\(info.st_dev):\(info.st_ino)"
    }

    public static func bootstrap(level: Logger.Level) {
        let journal = stderrIsJournal
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = journal ? JournalLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
