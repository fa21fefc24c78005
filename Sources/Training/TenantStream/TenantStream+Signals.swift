import Baselines
import Features

extension TenantStream {
    /// Plays the events in time order through a fresh embedded store, as the daemon would:
    /// each message carrying content is looked up at arrival, before its final verdict is
    /// learned; every event is then learned. Returns the signals of every event with content.
    public func signals() -> [TenantEvent.Content: BaselineSignals] {
        var settings = BaselineSettings()
        settings.internalDomains = [TenantGraph.domain]
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings))
        var signals: [TenantEvent.Content: BaselineSignals] = [:]
        for event in events {
            if event.content != .none { signals[event.content] = store.signals(for: event.message) }
            store.learn(BaselineObservation(message: event.message, outcome: event.outcome))
        }
        return signals
    }
}
