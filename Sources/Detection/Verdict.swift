/// The outcome of scoring one message.
public struct Verdict: Sendable, Equatable {
    /// 0…1, higher is more likely an attack.
    public let score: Double
    /// The log-odds the score is the sigmoid of: the model's logit plus the weights of the
    /// rules that fired. Ranking needs it because the score is 1.0 in Double for every
    /// log-odds above about 37, so confident attacks all tie. A list decision has no logit and
    /// carries ±`listedLogOdds`.
    public let logOdds: Double
    public let decision: Decision
    public let category: ThreatCategory
    /// Named contributions, strongest first.
    public let reasons: [Reason]
    /// Identifier of the model (or list snapshot) that produced the verdict.
    public let modelID: String

    /// The log-odds of a blocked (+) or allowed (−) sender: beyond what a model's thresholds
    /// use, yet finite, so that JSON can carry it and sorting stays plain arithmetic.
    public static let listedLogOdds = 40.0

    public init(score: Double, logOdds: Double, decision: Decision, category: ThreatCategory, reasons: [Reason], modelID: String) {
        self.score = score
        self.logOdds = logOdds
        self.decision = decision
        self.category = category
        self.reasons = reasons
        self.modelID = modelID
    }

    /// The value of the verdict header: `<decision> score=<s> category=<c> model=<id>`.
    public var headerValue: String {
        "\(decision.rawValue) score=\(Self.formatScore(score)) category=\(category.rawValue) model=\(modelID)"
    }

    /// Whether every number in it is one: a model can still overflow on some message (two
    /// huge weights of opposite sign), and such a verdict is an internal error, never a header.
    public var isFinite: Bool {
        score.isFinite && logOdds.isFinite && reasons.allSatisfy { $0.weight.isFinite }
    }

    /// Scores are printed with three decimals everywhere so logs and headers agree.
    public static func formatScore(_ score: Double) -> String {
        guard !score.isNaN else { return "nan" }
        let clamped = min(max(score, 0), 1)
        let thousandths = Int((clamped * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
