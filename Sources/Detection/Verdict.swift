/// The outcome of scoring one message.
public struct Verdict: Sendable, Equatable {
    /// 0…1, higher is more likely an attack.
    public let score: Double
    public let decision: Decision
    public let category: ThreatCategory
    /// Named contributions, strongest first.
    public let reasons: [Reason]
    /// Identifier of the model (or list snapshot) that produced the verdict.
    public let modelID: String

    public init(score: Double, decision: Decision, category: ThreatCategory, reasons: [Reason], modelID: String) {
        self.score = score
        self.decision = decision
        self.category = category
        self.reasons = reasons
        self.modelID = modelID
    }

    /// The value of the verdict header: `<decision> score=<s> category=<c> model=<id>`.
    public var headerValue: String {
        "\(decision.rawValue) score=\(Self.formatScore(score)) category=\(category.rawValue) model=\(modelID)"
    }

    /// Scores are printed with three decimals everywhere so logs and headers agree.
    public static func formatScore(_ score: Double) -> String {
        let clamped = min(max(score, 0), 1)
        let thousandths = Int((clamped * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
