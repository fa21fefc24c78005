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
