import Synchronization

/// Baselines in this process's memory: the default store, and the local cache of the
/// shared one. Remembers which records changed since `takeChanges()` for write-behind.
public final class EmbeddedBaselineStore: BaselineStore {
    public let model: BaselineModel

    private struct State {
        var records: [BaselineKey: BaselineRecord]
        var changed: Set<BaselineKey> = []
    }

    private let state: Mutex<State>

    /// Starts from `records`, typically loaded from a `BaselineDatabase`; they are not
    /// marked changed.
    public init(model: BaselineModel = BaselineModel(), records: [BaselineKey: BaselineRecord] = [:]) {
        self.model = model
        state = Mutex(State(records: records))
    }

    public func signals(for message: BaselineQuery) -> BaselineSignals {
        state.withLock { model.signals(for: message, in: $0.records) }
    }

    public func learn(_ observation: BaselineObservation) {
        state.withLock { state in
            for (key, record) in model.lesson(from: observation, in: state.records) {
                state.records[key] = record
                state.changed.insert(key)
            }
        }
    }

    public var recordCount: Int {
        state.withLock { $0.records.count }
    }

    public func record(_ key: BaselineKey) -> BaselineRecord? {
        state.withLock { $0.records[key] }
    }

    /// The records changed since the last call, and forgets that they changed.
    public func takeChanges() -> [(BaselineKey, BaselineRecord)] {
        state.withLock { state in
            let changes = state.changed.compactMap { key in state.records[key].map { (key, $0) } }
            state.changed.removeAll(keepingCapacity: true)
            return changes
        }
    }

    /// Marks records changed again, after a write that failed.
    public func markChanged(_ keys: some Sequence<BaselineKey>) {
        state.withLock { $0.changed.formUnion(keys) }
    }
}
