import Foundation

/// Reads the verdict log back: one `VerdictRecord` per well-formed line. Lines that do not
/// decode (a torn last line, a record from another version) are counted, not fatal.
public struct VerdictLogReader: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The log's path for a configuration: `async.verdict_log`, or `<state_dir>/verdicts.jsonl`.
    public static func path(for config: GannetConfig) -> String {
        config.asyncScoring.verdictLog.isEmpty ? config.daemon.stateDirectory + "/verdicts.jsonl" : config.asyncScoring.verdictLog
    }

    public struct Contents: Sendable {
        public var records: [VerdictRecord] = []
        public var unreadableLines = 0
    }

    /// Every record; an absent log is an empty one (nothing was ever deferred).
    public func read() throws -> Contents {
        guard FileManager.default.fileExists(atPath: path) else { return Contents() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let decoder = JSONDecoder()
        var contents = Contents()
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? decoder.decode(VerdictRecord.self, from: Data(line)) {
                contents.records.append(record)
            } else {
                contents.unreadableLines += 1
            }
        }
        return contents
    }

    /// The last record for each queue id (a verdict re-applied after a crash appears twice).
    public func latestByQueueID() throws -> [String: VerdictRecord] {
        var latest: [String: VerdictRecord] = [:]
        for record in try read().records { latest[record.queueID] = record }
        return latest
    }
}
