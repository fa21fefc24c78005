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
        let decoder = RecordJSON.decoder()
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

    /// The last record for one queue id, or nil. Decodes only the lines naming it (keys are
    /// written sorted and unspaced, so a line for it contains `"queue_id":"ID"`): the root
    /// release helper asks this once per request, of a log that only grows.
    public func latest(queueID: String) throws -> VerdictRecord? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let needle = Data(#""queue_id":"\#(queueID)""#.utf8)
        var latest: VerdictRecord?
        var searchFrom = data.startIndex
        while let found = data.range(of: needle, in: searchFrom..<data.endIndex) {
            let lineStart = data[..<found.lowerBound].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex
            let lineEnd = data[found.upperBound...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            if let record = try? RecordJSON.decoder().decode(VerdictRecord.self, from: data[lineStart..<lineEnd]), record.queueID == queueID {
                latest = record
            }
            searchFrom = lineEnd
        }
        return latest
    }

    /// The last record for each queue id (a verdict re-applied after a crash appears twice).
    public func latestByQueueID() throws -> [String: VerdictRecord] {
        var latest: [String: VerdictRecord] = [:]
        for record in try read().records { latest[record.queueID] = record }
        return latest
    }
}
