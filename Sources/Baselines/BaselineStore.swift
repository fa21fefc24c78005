/// Where baselines live. The inline path calls `signals(for:)` at end of message and must
/// never wait on a network; final verdicts go to `learn(_:)`.
public protocol BaselineStore: Sendable {
    func signals(for message: BaselineQuery) -> BaselineSignals
    func learn(_ observation: BaselineObservation)
}
