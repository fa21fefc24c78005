import Detection
import Foundation

/// `gannet report`: what the verdict log, the review log and, when kept, the decision log say
/// about a period. The verdict log records deferred messages only; without a decision log,
/// messages decided inline are counted only by the daemon's metrics and log lines, and the
/// report says so rather than pretending to know all mail.
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
    /// Every message of the period, from the decision log; nil when none is kept.
    public let decisions: DecisionSummary?

    public struct Percentiles: Sendable, Encodable, Equatable {
        public let p50: Double
        public let p90: Double
        public let p99: Double
        public let max: Double

        /// Nearest-rank percentiles; nil for no values.
        init?(_ values: [Double]) {
            let sorted = values.sorted()
            guard let last = sorted.last else { return nil }
            func rank(_ fraction: Double) -> Double { sorted[Swift.min(Swift.max(Int((fraction * Double(sorted.count)).rounded(.up)), 1), sorted.count) - 1] }
            (p50, p90, p99, max) = (rank(0.5), rank(0.9), rank(0.99), last)
        }
    }

    public struct ReasonCount: Sendable, Encodable, Equatable {
        public let name: String
        public let count: Int

        /// Named reasons (zero-weight notes left out) by how many messages carry them.
        static func top(_ reasonLists: [[Reason]], limit: Int) -> [ReasonCount] {
            var counts: [String: Int] = [:]
            for reasons in reasonLists {
                for reason in Set(reasons.filter { $0.weight != 0 }.map(\.name)) { counts[reason, default: 0] += 1 }
            }
            return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map { ReasonCount(name: $0.key, count: $0.value) }
        }
    }

    enum CodingKeys: String, CodingKey {
        case since, deferred, latency, releases, deletions
        case byOutcome = "by_outcome"
        case byAction = "by_action"
        case byCategory = "by_category"
        case topReasons = "top_reasons"
        case releasesByCategory = "releases_by_category"
        case unreadableLines = "unreadable_lines"
        case decisions
    }

    public init(records: [VerdictRecord], reviews: [ReviewDecision], decisions: [DecisionRecord]? = nil, since: Double, unreadableLines: Int = 0, reasonLimit: Int = 10) {
        self.since = since
        // A verdict re-applied after a crash is logged twice; count each queue id once.
        var latest: [String: VerdictRecord] = [:]
        for record in records where record.decidedAt >= since { latest[record.queueID] = record }
        let period = Array(latest.values)
        deferred = period.count
        byOutcome = Dictionary(grouping: period, by: \.outcome.rawValue).mapValues(\.count)
        byAction = Dictionary(grouping: period, by: \.action.rawValue).mapValues(\.count)
        byCategory = Dictionary(grouping: period) { $0.verdict?.category.rawValue ?? "none" }.mapValues(\.count)
        latency = Percentiles(period.filter { $0.verdict != nil }.map { max(0, $0.decidedAt - $0.spooledAt) })
        topReasons = ReasonCount.top(period.map { ($0.verdict ?? $0.inline).reasons }, limit: reasonLimit)
        let reviewed = reviews.filter { $0.decidedAt >= since }
        releases = reviewed.filter { $0.action == .release }.count
        deletions = reviewed.filter { $0.action == .delete }.count
        releasesByCategory = Dictionary(grouping: reviewed.filter { $0.action == .release }) { $0.category ?? "unknown" }.mapValues(\.count)
        self.unreadableLines = unreadableLines
        self.decisions = decisions.map { DecisionSummary($0.filter { $0.at >= since }, reasonLimit: reasonLimit) }
    }

    /// The report as terminal text.
    public func rendered() -> String {
        func counts(_ table: [String: Int]) -> String {
            table.isEmpty ? "none" : table.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        func milliseconds(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }
        func microseconds(_ seconds: Double) -> String { String(format: "%.0f µs", seconds * 1_000_000) }
        var out = "Since \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: since)))\n"
        if let decisions {
            out += "Messages decided: \(decisions.messages)\n"
            out += "  by decision:        \(counts(decisions.byDecision))\n"
            out += "  by inline decision: \(counts(decisions.byInlineDecision)) (defer rate \(String(format: "%.2f%%", decisions.deferRate * 100)))\n"
            out += "  by category:        \(counts(decisions.byCategory))\n"
            if let latency = decisions.inlineLatency {
                out += "  inline decision time: p50 \(microseconds(latency.p50)), p90 \(microseconds(latency.p90)), p99 \(microseconds(latency.p99)), max \(microseconds(latency.max))\n"
            }
            out += "  top reasons: " + (decisions.topReasons.isEmpty ? "none" : decisions.topReasons.map { "\($0.name) \($0.count)" }.joined(separator: ", ")) + "\n"
        }
        out += "Deferred messages with a final verdict: \(deferred)\n"
        out += "  by outcome:  \(counts(byOutcome))\n"
        out += "  by action:   \(counts(byAction))\n"
        out += "  by category: \(counts(byCategory))\n"
        if let latency {
            out += "  time to verdict: p50 \(milliseconds(latency.p50)), p90 \(milliseconds(latency.p90)), p99 \(milliseconds(latency.p99)), max \(milliseconds(latency.max))\n"
        }
        out += "  top reasons: " + (topReasons.isEmpty ? "none" : topReasons.map { "\($0.name) \($0.count)" }.joined(separator: ", ")) + "\n"
        out += "Reviews: \(releases) released (false positives: \(counts(releasesByCategory))), \(deletions) deleted\n"
        if decisions == nil {
            out += "No decision log is kept (daemon.decision_log): volumes of messages decided inline and the defer rate are only in the daemon's metrics (gannet_messages_total, gannet_inline_decisions_total) and its log lines.\n"
        }
        if unreadableLines > 0 { out += "Skipped \(unreadableLines) unreadable verdict-log line(s).\n" }
        return out
    }
}
