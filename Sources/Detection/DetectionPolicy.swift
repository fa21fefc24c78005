/// How scores become decisions when the model does not say (no model loaded), and how many
/// reasons a verdict names.
public struct DetectionPolicy: Sendable, Equatable {
    /// Log-odds before any rule when no model is loaded (-4 ≈ 0.018: mail is innocent until a
    /// rule says otherwise).
    public var baseLogit: Double
    /// Thresholds used when no model is loaded; a model brings its own, calibrated ones.
    public var quarantineThreshold: Double
    public var acceptThreshold: Double
    /// Reasons named in a verdict (strongest first).
    public var maximumReasons: Int
    /// What happens to legitimate-looking bulk mail without attack evidence (`BulkMail`).
    public var bulk: BulkPolicy = .tag

    /// `detection.bulk` in gannet.toml.
    public enum BulkPolicy: String, Sendable, CaseIterable {
        /// Accepted with category `bulk` whatever its score: only attack evidence (or a rule
        /// that forces a decision) quarantines it.
        case tag
        /// Decided by its score like any other mail, still tagged `bulk` when accepted.
        case score
    }

    public init(baseLogit: Double = -4, quarantineThreshold: Double = 0.9, acceptThreshold: Double = 0.3, maximumReasons: Int = 5) {
        self.baseLogit = baseLogit
        self.quarantineThreshold = quarantineThreshold
        self.acceptThreshold = acceptThreshold
        self.maximumReasons = maximumReasons
    }
}
