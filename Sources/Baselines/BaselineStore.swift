import Features

/// Where baselines live: looked up inline, taught final verdicts through `learn(_:)`.
public protocol BaselineStore: BaselineLookup {
    func learn(_ observation: BaselineObservation)
}
