import Foundation
import Logging
import Synchronization

/// Proof that "quarantine" really held the message: every hold Gannet asks Postfix for at end
/// of message is looked for in the hold queue (`postqueue -j`) a moment later, and counted
/// confirmed or missing (`gannet_actions_total`). A quarantine that Postfix turned into a
/// delivery (a milter action not granted, a `header_checks` rule, a release by someone else)
/// is an error in the log and an alert, not a silence.
public final class HoldVerifier: Sendable {
    /// What the milter asked for: `quarantine` (held inline as an attack) or `hold` (held
    /// while scored in full).
    public enum Action: String, Sendable, CaseIterable {
        case quarantine, hold
    }

    public enum Result: String, Sendable, CaseIterable {
        case confirmed, missing
        /// The hold queue could not be listed (postqueue failed): neither proven nor disproven.
        case unverified
    }

    /// What `gannet_actions_total` counts.
    struct Outcome: Hashable {
        let action: Action
        let result: Result
    }

    private struct Pending {
        let verdictID: String
        let action: Action
        let requestedAt: ContinuousClock.Instant
    }

    public let settings: HoldVerification
    private let listHoldQueue: @Sendable () throws -> [QueuedMessage]
    private let metrics: GannetMetrics
    private let logger: Logger
    private let pending = Mutex<[String: Pending]>([:])
    private let wake = NSCondition()

    /// Told every result with its queue id (`CanaryBook`); nil tells no one.
    private let observer: (@Sendable (String, Action, Result) -> Void)?

    /// `listHoldQueue`: Postfix's queue, as `PostfixQueue.heldMessages` lists it.
    public init(settings: HoldVerification, metrics: GannetMetrics, logger: Logger, observer: (@Sendable (String, Action, Result) -> Void)? = nil,
                listHoldQueue: @escaping @Sendable () throws -> [QueuedMessage]) {
        self.observer = observer
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.listHoldQueue = listHoldQueue
    }

    /// The verifier for a configuration: the real `postqueue`.
    public convenience init(settings: HoldVerification, metrics: GannetMetrics, logger: Logger, observer: (@Sendable (String, Action, Result) -> Void)? = nil) {
        let queue = PostfixQueue(configDirectory: settings.postfixConfigDirectory.isEmpty ? nil : settings.postfixConfigDirectory, timeLimit: .seconds(30))
        self.init(settings: settings, metrics: metrics, logger: logger, observer: observer) { try queue.heldMessages() }
    }

    /// Holds asked for and not yet confirmed or found missing.
    public var unconfirmed: Int { pending.withLock { $0.count } }

    /// True while the hold of `queueID` waits to be confirmed or found missing.
    public func isAwaiting(queueID: String) -> Bool {
        pending.withLock { $0[queueID] != nil }
    }

    private func settle(_ queueID: String, _ action: Action, _ result: Result) {
        metrics.action(action, result)
        observer?(queueID, action, result)
    }

    /// The milter asked Postfix to hold `queueID`.
    public func expectHeld(queueID: String, verdictID: String, action: Action) {
        pending.withLock { $0[queueID] = Pending(verdictID: verdictID, action: action, requestedAt: .now) }
        // Under the lock the checking thread holds from its emptiness test to its wait.
        wake.withLock { wake.signal() }
    }

    /// Gannet released it itself, so it will not be in the hold queue: `proven` when
    /// postsuper said it released it (confirmed), else only requested (`unverified`; the root
    /// helper logs a request that found nothing held).
    public func releasedByGannet(queueID: String, proven: Bool) {
        guard let released = pending.withLock({ $0.removeValue(forKey: queueID) }) else { return }
        settle(queueID, released.action, proven ? .confirmed : .unverified)
    }

    /// Looks for every unconfirmed hold once: held ones are confirmed, ones past the deadline
    /// missing; the rest wait for the next pass.
    public func check(now: ContinuousClock.Instant = .now) {
        let waiting = pending.withLock { $0 }
        guard !waiting.isEmpty else { return }
        let held: Set<String>
        do {
            held = Set(try listHoldQueue().map(\.queueID))
        } catch {
            let overdue = pending.withLock { pending in
                let ids = pending.filter { now - $0.value.requestedAt > settings.deadline }
                for id in ids.keys { pending[id] = nil }
                return ids
            }
            for (queueID, hold) in overdue { settle(queueID, hold.action, .unverified) }
            logger.warning("cannot list the hold queue to confirm holds", metadata: ["error": "\(error)", "unverified": "\(overdue.count)"])
            return
        }
        let decided = pending.withLock { pending in
            var decided: [(String, Pending, Result)] = []
            for (queueID, hold) in pending {
                if held.contains(queueID) {
                    decided.append((queueID, hold, .confirmed))
                } else if now - hold.requestedAt > settings.deadline {
                    decided.append((queueID, hold, .missing))
                }
            }
            for (queueID, _, _) in decided { pending[queueID] = nil }
            return decided
        }
        for (queueID, hold, result) in decided {
            settle(queueID, hold.action, result)
            if result == .missing {
                logger.error("Postfix does not hold a message Gannet quarantined", metadata: [
                    "queue_id": "\(queueID)", "verdict_id": "\(hold.verdictID)", "action": "\(hold.action.rawValue)",
                ])
            }
        }
    }

    /// Checks every `interval` while holds wait, on a thread of its own.
    public func start() {
        let thread = Thread { [self] in
            while true {
                wake.withLock {
                    if pending.withLock({ $0.isEmpty }) { wake.wait() }
                }
                Thread.sleep(forTimeInterval: Double(settings.interval.components.seconds))
                check()
            }
        }
        thread.name = "gannet-hold-verifier"
        thread.start()
    }
}
