import Detection
import Foundation

/// What an administrator decided about a held message, appended to the review log
/// (`<state_dir>/reviews.jsonl`) so `gannet report` can count releases — the false-positive
/// signal the verdict log cannot give.
public struct ReviewDecision: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Let go: Gannet was wrong to hold it.
        case release
        /// Deleted: Gannet was right.
        case delete
    }

    public let queueID: String
    public let action: Action
    /// The category Gannet gave it, when known.
    public let category: String?
    /// The feedback label it was filed under (`ham`, `spam`, `phish`), nil when not filed.
    public let label: String?
    /// Where the labelled copy went.
    public let feedbackFile: String?
    public let decidedAt: Double

    enum CodingKeys: String, CodingKey {
        case action, category, label
        case queueID = "queue_id"
        case feedbackFile = "feedback_file"
        case decidedAt = "decided_at"
    }

    public init(queueID: String, action: Action, category: String?, label: String?, feedbackFile: String?, decidedAt: Double = Date().timeIntervalSince1970) {
        self.queueID = queueID
        self.action = action
        self.category = category
        self.label = label
        self.feedbackFile = feedbackFile
        self.decidedAt = decidedAt
    }

    /// The review log's path for a configuration.
    public static func logPath(for config: GannetConfig) -> String {
        config.daemon.stateDirectory + "/reviews.jsonl"
    }

    /// Appends one decision as a line of JSON.
    public func append(toLog path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = try encoder.encode(self) + Data("\n".utf8)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let fd = DurableFile.openForAppending(path)
        guard fd >= 0 else { throw SystemCallError.last("open \(path)") }
        defer { close(fd) }
        try DurableFile.writeAll(fd, Array(line), path: path)
    }

    /// Every decision in a review log; an absent log is empty, undecodable lines are skipped.
    public static func read(log path: String) -> [ReviewDecision] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(ReviewDecision.self, from: Data($0)) }
    }
}
