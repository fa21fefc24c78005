import Detection
import FilterCore
import Synchronization

/// Holds the snapshot new messages are decided with. Readers take it once per message;
/// a reload swaps it whole, so a message never sees half of an old and half of a new one.
public final class SnapshotStore: Sendable {
    private let current: Mutex<FilterSnapshot>

    public init(_ snapshot: FilterSnapshot) {
        current = Mutex(snapshot)
    }

    public var snapshot: FilterSnapshot { current.withLock { $0 } }

    public func replace(with snapshot: FilterSnapshot) {
        current.withLock { $0 = snapshot }
    }
}

extension FilterSnapshot {
    /// The snapshot a configuration describes. Until detection models exist the lists decide,
    /// and `model=none` says so in every verdict.
    public init(config: GannetConfig) {
        self.init(policy: config.policy, engine: DetectionEngine(lists: config.lists, modelID: "none"), features: config.features)
    }
}
