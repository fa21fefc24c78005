/// At most so many legitimate messages held a week: the quarantine threshold a site can live
/// with, turned into the ham false-positive rate training calibrates to, given how much
/// legitimate mail the site receives.
public struct HoldBudget: Sendable, Equatable {
    public let heldPerWeek: Double
    /// Legitimate messages the site receives a week.
    public let legitimatePerWeek: Double

    public init(heldPerWeek: Double, legitimatePerWeek: Double) {
        self.heldPerWeek = heldPerWeek
        self.legitimatePerWeek = legitimatePerWeek
    }

    /// The share of ham that may be held.
    public var falsePositiveRate: Double { min(1, heldPerWeek / max(legitimatePerWeek, 1)) }

    /// Legitimate messages a week held at `rate`.
    public func held(atFalsePositiveRate rate: Double) -> Double { rate * legitimatePerWeek }

    /// Reads a rate such as "5/week", "2/day" or "20000/week": per week.
    public static func perWeek(_ text: String) -> Double? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let count = Double(parts[0]), count.isFinite, count >= 0 else { return nil }
        switch parts[1] {
        case "week", "w": return count
        case "day", "d": return count * 7
        default: return nil
        }
    }

    /// Legitimate mail a week from decisions (time, accepted): the accepted ones over the span
    /// they cover; nil when that is less than a day.
    public static func legitimatePerWeek(decisions: [(at: Double, accepted: Bool)]) -> Double? {
        guard let first = decisions.map(\.at).min(), let last = decisions.map(\.at).max(), last - first >= 86_400 else { return nil }
        return Double(decisions.filter(\.accepted).count) / (last - first) * 7 * 86_400
    }
}
