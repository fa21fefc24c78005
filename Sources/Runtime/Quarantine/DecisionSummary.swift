/// What the decision log says about a period: every message, not only deferred ones.
public struct DecisionSummary: Sendable, Encodable {
    public let messages: Int
    /// Final decisions (`accept`, `quarantine`).
    public let byDecision: [String: Int]
    /// Inline decisions, `defer` included.
    public let byInlineDecision: [String: Int]
    public let byCategory: [String: Int]
    /// Share of messages the inline pass handed to full scoring.
    public let deferRate: Double
    /// Time of the inline decision, seconds.
    public let inlineLatency: VerdictReport.Percentiles?
    public let topReasons: [VerdictReport.ReasonCount]

    enum CodingKeys: String, CodingKey {
        case messages
        case byDecision = "by_decision"
        case byInlineDecision = "by_inline_decision"
        case byCategory = "by_category"
        case deferRate = "defer_rate"
        case inlineLatency = "inline_latency"
        case topReasons = "top_reasons"
    }

    public init(_ records: [DecisionRecord], reasonLimit: Int = 10) {
        messages = records.count
        byDecision = Dictionary(grouping: records, by: \.decision.rawValue).mapValues(\.count)
        byInlineDecision = Dictionary(grouping: records, by: \.inlineDecision.rawValue).mapValues(\.count)
        byCategory = Dictionary(grouping: records, by: \.category.rawValue).mapValues(\.count)
        deferRate = records.isEmpty ? 0 : Double(byInlineDecision["defer"] ?? 0) / Double(records.count)
        inlineLatency = VerdictReport.Percentiles(records.map { Double($0.inlineMicroseconds) / 1_000_000 })
        topReasons = VerdictReport.ReasonCount.top(records.map(\.reasons), limit: reasonLimit)
    }
}
