import Foundation

/// `gannet report`: what the verdict log and the review log say about a period. The verdict
/// log records deferred messages only; messages decided inline are counted by the daemon's
/// metrics and log lines, so the report never pretends to know all mail.
public struct VerdictReport: Sendable, Encodable {
    /// Start of the period, seconds since the epoch.
    public let since: Double
    /// Deferred messages given a final verdict in the period.
    public let deferred: Int
    public let byOutcome: [String: Int]
    public let byAction: [String: Int]
    /// Final category (the full verdict's; `none` without one).
    public let byCategory: [String: Int]
    /// Seconds from spooling to the final verdict, over messages that were scored.
    public let latency: Percentiles?
    /// Reason names with their counts, most frequent first.
    public let topReasons: [ReasonCount]
    public let releases: Int
    public let deletions: Int
    /// Releases by the category Gannet had given: each is a false positive someone reported.
    public let releasesByCategory: [String: Int]
    public let unreadableLines: Int

    public struct Percentiles: Sendable, Encodable, Equatable {
        public let p50: Double
        public let p90: Double
        public let p99: Double
        public let max: Double
    }

    public struct ReasonCount: Sendable, Encodable, Equatable {
        public let name: String
        public let count: Int
    }

    enum CodingKeys: String, CodingKey {
        case since, deferred, latency, releases, deletions
        case byOutcome = "by_outcome"
        case byAction = "by_action"
        case byCategory = "by_category"
        case topReasons = "top_reasons"
        case releasesByCategory = "releases_by_category"
        case unreadableLines = "unreadable_lines"
    }

    public init(records: [VerdictRecord], reviews: [ReviewDecision], since: Double, unreadableLines: Int = 0, reasonLimit: Int = 10) {
        self.since = since
        // A verdict re-applied after a crash is logged twice; count each queue id once.
        var latest: [String: VerdictRecord] = [:]
        for record in records where record.decidedAt >= since { latest[record.queueID] = record }
        let period = Array(latest.values)
        deferred = period.count
        byOutcome = Dictionary(grouping: period, by: \.outcome.rawValue).mapValues(\.count)
        byAction = Dictionary(grouping: period, by: \.action.rawValue).mapValues(\.count)
        byCategory = Dictionary(grouping: period) { $0.verdict?.category.rawValue ?? "none" }.mapValues(\.count)
        let scored = period.filter { $0.verdict != nil }.map { max(0, $0.decidedAt - $0.spooledAt) }.sorted()
        latency = scored.isEmpty ? nil : Percentiles(p50: Self.percentile(scored, 0.5), p90: Self.percentile(scored, 0.9), p99: Self.percentile(scored, 0.99), max: scored[scored.count - 1])
        var reasonCounts: [String: Int] = [:]
        for record in period {
            for reason in (record.verdict ?? record.inline).reasons where reason.weight != 0 { reasonCounts[reason.name, default: 0] += 1 }
        }
        topReasons = reasonCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(reasonLimit).map { ReasonCount(name: $0.key, count: $0.value) }
        let reviewed = reviews.filter { $0.decidedAt >= since }
        releases = reviewed.filter { $0.action == .release }.count
        deletions = reviewed.filter { $0.action == .delete }.count
        releasesByCategory = Dictionary(grouping: reviewed.filter { $0.action == .release }) { $0.category ?? "unknown" }.mapValues(\.count)
        self.unreadableLines = unreadableLines
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The report as terminal text.
    public func rendered() -> String {
        func counts(_ table: [String: Int]) -> String {
            table.isEmpty ? "none" : table.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        func milliseconds(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }
        var out = "Since \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: since)))\n"
        out += "Deferred messages with a final verdict: \(deferred)\n"
        out += "  by outcome:  \(counts(byOutcome))\n"
        out += "  by action:   \(counts(byAction))\n"
        out += "  by category: \(counts(byCategory))\n"
        if let latency {
            out += "  time to verdict: p50 \(milliseconds(latency.p50)), p90 \(milliseconds(latency.p90)), p99 \(milliseconds(latency.p99)), max \(milliseconds(latency.max))\n"
        }
        out += "  top reasons: " + (topReasons.isEmpty ? "none" : topReasons.map { "\($0.name) \($0.count)" }.joined(separator: ", ")) + "\n"
        out += "Reviews: \(releases) released (false positives: \(counts(releasesByCategory))), \(deletions) deleted\n"
        out += "Messages decided inline are not in the verdict log: their volumes and the defer rate are in the daemon's metrics (gannet_messages_total, gannet_inline_decisions_total) and its log lines.\n"
        if unreadableLines > 0 { out += "Skipped \(unreadableLines) unreadable verdict-log line(s).\n" }
        return out
    }
}
