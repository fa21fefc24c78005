import Detection
import FilterCore
import Synchronization
import Testing

/// Canary messages get the decision they ask for only with a token Gannet issued, once.
@Suite struct SelftestCanaryTests {
    /// One token per decision, each good for one message.
    final class Tokens: CanaryClaims {
        let unclaimed: Mutex<[String: Decision]>

        init(_ tokens: [String: Decision]) {
            unclaimed = Mutex(tokens)
        }

        func claim(_ token: String, queueID: String?) -> Decision? {
            unclaimed.withLock { $0.removeValue(forKey: token) }
        }
    }

    let replay = {
        var replay = MilterReplay(envelopeSender: "<>", recipients: ["<selftest@gannet.test>"], queueID: "4XyZ1")
        replay.verdictID = "g-0123456789"
        return replay
    }()

    static func canary(token: String, from: String = "selftest@gannet.test") -> RawMessage {
        RawMessage(bytes: Array("From: Gannet self-test <\(from)>\r\nTo: <selftest@gannet.test>\r\nSubject: Gannet self-test\r\nX-Gannet-Selftest: \(token)\r\n\r\nIt can be discarded.\r\n".utf8))
    }

    @Test func aQuarantineCanaryIsHeldAndSpooledToBeReleased() {
        let result = replay.run(Self.canary(token: "t1"), snapshot: Fixtures.blockingSnapshot, canaries: Tokens(["t1": .quarantine]))
        #expect(result.outcome.canary == CanaryNote(token: "t1", asked: .quarantine))
        #expect(result.outcome.verdict?.decision == .quarantine && result.outcome.verdict?.category == .policy)
        #expect(result.outcome.verdict?.reasons.first == SelftestCanary.reason)
        #expect(result.applied.last == .quarantine(reason: "Gannet policy score=0.000 id=g-0123456789 SELFTEST_CANARY"))
        #expect(result.outcome.deferred?.action == .hold)
        #expect(SelftestCanary.marks(result.outcome.deferred?.inline.reasons ?? []))
        #expect(result.outcome.lesson == nil)
    }

    @Test func anAcceptCanaryIsDeliveredEvenFromABlockedSender() {
        var blocked = replay
        blocked.envelopeSender = "<bad@evil.example>"
        let result = blocked.run(Self.canary(token: "t2"), snapshot: Fixtures.blockingSnapshot, canaries: Tokens(["t2": .accept]))
        #expect(result.outcome.verdict?.decision == .accept)
        #expect(result.applied == [.addHeader(name: "X-Gannet-Verdict", value: "accept score=1.000 category=policy model=lists-1 id=g-0123456789")])
        #expect(result.outcome.deferred == nil)
    }

    @Test func aDeferCanaryIsHeldForFullScoringAsOnDeferSays() {
        let held = replay.run(Self.canary(token: "t3"), snapshot: Fixtures.blockingSnapshot, canaries: Tokens(["t3": .defer]))
        #expect(held.outcome.inlineDecision == .defer && held.outcome.verdict?.decision == .quarantine)
        #expect(held.applied.first == .addHeader(name: "X-Gannet-Verdict", value: "defer score=0.000 category=policy model=lists-1 id=g-0123456789"))
        #expect(held.outcome.deferred?.action == .hold)

        var policy = FilterPolicy()
        policy.onDefer = .accept
        let delivering = FilterSnapshot(policy: policy, engine: Fixtures.blockingSnapshot.engine)
        let delivered = replay.run(Self.canary(token: "t4"), snapshot: delivering, canaries: Tokens(["t4": .defer]))
        #expect(delivered.outcome.verdict?.decision == .accept && delivered.outcome.inlineDecision == .defer)
        #expect(delivered.outcome.deferred?.action == .accept)
        #expect(!delivered.applied.contains { if case .quarantine = $0 { true } else { false } })
    }

    /// A copied header, an unknown token or a token used twice gets an ordinary verdict.
    @Test func aTokenGannetDidNotIssueOrAlreadySawMakesNoCanary() {
        let tokens = Tokens(["t5": .accept])
        var blocked = replay
        blocked.envelopeSender = "<bad@evil.example>"
        let forged = blocked.run(Self.canary(token: "guessed"), snapshot: Fixtures.blockingSnapshot, canaries: tokens)
        #expect(forged.outcome.canary == nil && forged.outcome.verdict?.decision == .quarantine)
        #expect(forged.outcome.verdict?.reasons.first?.name == "BLOCKED_SENDER")
        #expect(blocked.run(Self.canary(token: "t5"), snapshot: Fixtures.blockingSnapshot, canaries: tokens).outcome.verdict?.decision == .accept)
        let replayed = blocked.run(Self.canary(token: "t5"), snapshot: Fixtures.blockingSnapshot, canaries: tokens)
        #expect(replayed.outcome.canary == nil && replayed.outcome.verdict?.decision == .quarantine)
        #expect(blocked.run(Self.canary(token: "t5"), snapshot: Fixtures.blockingSnapshot).outcome.canary == nil)
    }

    @Test func aCanarysFullVerdictIsCleanWhateverItScored() {
        let malicious = Verdict(score: 0.99, logOdds: 4.6, decision: .quarantine, category: .phishing, reasons: [Reason(name: "CREDENTIAL_FORM", weight: 2)], modelID: "m")
        let full = malicious.forCanary
        #expect(full.decision == .accept && full.category == .policy && full.score == 0.99)
        #expect(full.reasons == [SelftestCanary.reason, Reason(name: "CREDENTIAL_FORM", weight: 2)])
    }
}
