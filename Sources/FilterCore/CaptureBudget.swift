import Synchronization

/// The bytes every session together may keep of messages in progress (`MessageCapture`):
/// each message may keep up to the spool limit, and a hundred sessions at once would keep a
/// hundred times that. Process-wide, shared by every session whatever the snapshot.
public final class CaptureBudget: Sendable {
    /// What a message gets when keeping more of it would pass the budget.
    public enum Exhausted: String, Sendable, CaseIterable {
        /// 451: the client keeps the message and retries; nothing is lost or unscored.
        case tempfail
        /// Decided inline without a copy; if the inline pass defers it, it is held unscored
        /// (`CAPTURE_BUDGET`) for review.
        case inlineOnly = "inline_only"
    }

    public let limit: Int
    public let onExhausted: Exhausted
    private let used = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)

    public init(limit: Int, onExhausted: Exhausted) {
        self.limit = limit
        self.onExhausted = onExhausted
    }

    /// Bytes kept now by all sessions.
    public var bytesInUse: Int { used.load(ordering: .relaxed) }

    /// Messages that found the budget spent.
    public var refusals: Int { refused.load(ordering: .relaxed) }

    /// Takes `count` bytes if they fit; false (and nothing taken) when they do not.
    func take(_ count: Int) -> Bool {
        let after = used.wrappingAdd(count, ordering: .relaxed).newValue
        guard after > limit else { return true }
        used.wrappingSubtract(count, ordering: .relaxed)
        refused.wrappingAdd(1, ordering: .relaxed)
        return false
    }

    func give(_ count: Int) {
        used.wrappingSubtract(count, ordering: .relaxed)
    }
}

/// One message's share of a `CaptureBudget`, given back whole when the message is gone
/// (decided, aborted, or its session closed), whichever way it goes.
final class CaptureLease: Sendable {
    let budget: CaptureBudget
    private let taken = Atomic<Int>(0)

    init(_ budget: CaptureBudget) {
        self.budget = budget
    }

    func take(_ count: Int) -> Bool {
        guard budget.take(count) else { return false }
        taken.wrappingAdd(count, ordering: .relaxed)
        return true
    }

    func giveAll() {
        budget.give(taken.exchange(0, ordering: .relaxed))
    }

    deinit { giveAll() }
}
