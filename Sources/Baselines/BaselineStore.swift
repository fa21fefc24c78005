/// Answers the behaviour features for a message. The inline path calls it at end of message
/// and must never wait on a network.
public protocol BaselineLookup: Sendable {
    func signals(for message: BaselineQuery) -> BaselineSignals
}

/// Where baselines live: looked up inline, taught final verdicts through `learn(_:)`.
public protocol BaselineStore: BaselineLookup {
    func learn(_ observation: BaselineObservation)
}
