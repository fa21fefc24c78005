import Features
import Synchronization

/// Baselines in this process's memory: the default store, and the local cache of the
/// shared one. Remembers which records changed since `takeChanges()` and which were pruned
/// since `takeDeletions()`, for write-behind.
public final class EmbeddedBaselineStore: BaselineStore {
    public let model: BaselineModel

    private struct State {
        var records: [BaselineKey: BaselineRecord]
        var changed: Set<BaselineKey> = []
        /// Pruned and not learned again since.
        var deleted: Set<BaselineKey> = []
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
                state.deleted.remove(key)
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

    /// Removes the records stale at `now` (`BaselineRecord.isStale`) and remembers their keys
    /// for `takeDeletions()`; how many it removed. One pass over every record under the lock,
    /// so lookups and lessons wait for the whole pass.
    @discardableResult
    public func prune(at now: Int64) -> Int {
        state.withLock { state in
            let stale = state.records.compactMap { key, record in record.isStale(at: now, settings: model.settings) ? key : nil }
            for key in stale {
                state.records[key] = nil
                state.changed.remove(key)
                state.deleted.insert(key)
            }
            return stale.count
        }
    }

    /// The keys pruned since the last call and not learned again, and forgets them.
    public func takeDeletions() -> [BaselineKey] {
        state.withLock { state in
            defer { state.deleted.removeAll(keepingCapacity: true) }
            return Array(state.deleted)
        }
    }

    /// Marks keys deleted again, after a write that failed; a key learned again meanwhile
    /// stays as it is.
    public func markDeleted(_ keys: some Sequence<BaselineKey>) {
        state.withLock { state in
            for key in keys where state.records[key] == nil { state.deleted.insert(key) }
        }
    }
}
