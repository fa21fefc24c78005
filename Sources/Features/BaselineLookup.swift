/// Answers the behaviour features for a message: the one thing the filter needs of a
/// baselines store, which lives in Baselines. The inline path calls it at end of message and
/// must never wait on a network.
public protocol BaselineLookup: Sendable {
    func signals(for message: BaselineQuery) -> BaselineSignals
}
