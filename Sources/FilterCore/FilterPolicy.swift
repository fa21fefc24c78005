import Detection
import Features

/// The reloadable part of the configuration that shapes what the filter does with a verdict.
public struct FilterPolicy: Sendable, Equatable {
    /// Name of the verdict header added to every scored message.
    public var verdictHeaderName: String
    /// Delete verdict headers that arrived with the message, so a sender cannot forge one.
    public var stripIncomingVerdictHeaders: Bool
    /// What a session gets when Gannet fails internally or runs out of time.
    public var onInternalError: FailureAction
    /// Body bytes the inline pass reads; a longer message is decided from what was read.
    public var inlineByteBudget: Int
    /// What a message the inline pass defers gets while full scoring decides it.
    public var onDefer: DeferAction
    /// Bytes of a message kept for spooling it if it is deferred; a longer deferred message
    /// cannot be scored in full and stays held, unscored.
    public var spoolByteLimit: Int
    /// Time from end of message the inline decision may take; a slower one is deferred.
    public var inlineBudget: Duration
    /// What an accepting inline verdict made without some signal (`SkippedSignal`) gets.
    public var onIncomplete: IncompleteVerdictAction

    public init(verdictHeaderName: String = "X-Gannet-Verdict", stripIncomingVerdictHeaders: Bool = true, onInternalError: FailureAction = .tempfail, inlineByteBudget: Int = 256 * 1024) {
        self.verdictHeaderName = verdictHeaderName
        self.stripIncomingVerdictHeaders = stripIncomingVerdictHeaders
        self.onInternalError = onInternalError
        self.inlineByteBudget = inlineByteBudget
        self.onDefer = .hold
        self.spoolByteLimit = 64 << 20
        self.inlineBudget = .milliseconds(5)
        self.onIncomplete = .accept
    }
}

/// What happens to a deferred message while it is scored in full: held in Postfix's hold
/// queue until the full verdict releases it, or delivered at once and acted on afterwards.
public enum DeferAction: String, Sendable, Equatable, CaseIterable, Codable {
    case hold
    case accept

    public var decision: Decision { self == .hold ? .quarantine : .accept }
}

/// Everything a message is decided with, taken once when the message starts.
public struct FilterSnapshot: Sendable {
    public let policy: FilterPolicy
    public let engine: DetectionEngine
    /// Business inputs of the feature extractor.
    public let features: FeatureSettings

    public init(policy: FilterPolicy, engine: DetectionEngine, features: FeatureSettings = FeatureSettings()) {
        self.policy = policy
        self.engine = engine
        self.features = features
    }
}
