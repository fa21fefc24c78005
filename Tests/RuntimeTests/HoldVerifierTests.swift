import Foundation
import Logging
import Runtime
import Synchronization
import Testing

/// A hold queue the test fills, or breaks.
final class ScriptedHoldQueue: Sendable {
    let held = Mutex<[String]>([])
    let broken = Mutex(false)

    func list() throws -> [QueuedMessage] {
        struct Unlistable: Error {}
        if broken.withLock({ $0 }) { throw Unlistable() }
        return held.withLock { $0 }.map { QueuedMessage(queueName: "hold", queueID: $0, arrivalTime: 0, messageSize: 1, sender: "", recipients: []) }
    }
}

@Suite struct HoldVerifierTests {
    static func verifier(_ queue: ScriptedHoldQueue, metrics: GannetMetrics) -> HoldVerifier {
        var settings = HoldVerification()
        settings.deadline = .seconds(60)
        return HoldVerifier(settings: settings, metrics: metrics, logger: Logger(label: "test")) { try queue.list() }
    }

    @Test func aHeldMessageIsConfirmedAndOneNeverHeldIsMissingAfterTheDeadline() {
        let queue = ScriptedHoldQueue(), metrics = GannetMetrics()
        let verifier = Self.verifier(queue, metrics: metrics)
        verifier.expectHeld(queueID: "4HELD1", verdictID: "g-0000000001", action: .quarantine)
        verifier.expectHeld(queueID: "4GONE1", verdictID: "g-0000000002", action: .quarantine)
        verifier.expectHeld(queueID: "4SLOW1", verdictID: "g-0000000003", action: .hold)
        queue.held.withLock { $0 = ["4HELD1"] }
        verifier.check()
        #expect(metrics.actionCount(.quarantine, .confirmed) == 1)
        #expect(verifier.unconfirmed == 2, "not yet past the deadline")
        queue.held.withLock { $0 = ["4SLOW1"] }
        verifier.check(now: .now + .seconds(61))
        #expect(metrics.actionCount(.quarantine, .missing) == 1)
        #expect(metrics.actionCount(.hold, .confirmed) == 1)
        #expect(verifier.unconfirmed == 0)
        #expect(metrics.prometheusText().contains(#"gannet_actions_total{action="quarantine",result="missing"} 1"#))
    }

    @Test func aQueueThatCannotBeListedLeavesHoldsUnverifiedNotMissing() {
        let queue = ScriptedHoldQueue(), metrics = GannetMetrics()
        let verifier = Self.verifier(queue, metrics: metrics)
        verifier.expectHeld(queueID: "4HELD1", verdictID: "g-0000000001", action: .quarantine)
        queue.broken.withLock { $0 = true }
        verifier.check()
        #expect(verifier.unconfirmed == 1)
        verifier.check(now: .now + .seconds(61))
        #expect(metrics.actionCount(.quarantine, .unverified) == 1 && metrics.actionCount(.quarantine, .missing) == 0)
    }

    /// Gannet's own release: postsuper's count proves the hold; a request proves nothing.
    @Test func aReleaseByGannetConfirmsOnlyWhenPostsuperSaysSo() {
        let queue = ScriptedHoldQueue(), metrics = GannetMetrics()
        let verifier = Self.verifier(queue, metrics: metrics)
        verifier.expectHeld(queueID: "4REL1", verdictID: "g-0000000001", action: .hold)
        verifier.expectHeld(queueID: "4REQ1", verdictID: "g-0000000002", action: .hold)
        verifier.releasedByGannet(queueID: "4REL1", proven: true)
        verifier.releasedByGannet(queueID: "4REQ1", proven: false)
        #expect(metrics.actionCount(.hold, .confirmed) == 1 && metrics.actionCount(.hold, .unverified) == 1)
        #expect(verifier.unconfirmed == 0)
    }
}
