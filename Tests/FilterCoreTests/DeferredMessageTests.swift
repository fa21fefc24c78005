import Detection
import FilterCore
import Testing

/// A deferred message leaves end of message with its bytes, for the spool.
@Suite struct DeferredMessageTests {
    static func snapshot(byteBudget: Int = 256 * 1024, spoolLimit: Int = 64 << 20, onDefer: DeferAction = .hold) -> FilterSnapshot {
        var policy = FilterPolicy(inlineByteBudget: byteBudget)
        policy.spoolByteLimit = spoolLimit
        policy.onDefer = onDefer
        return FilterSnapshot(policy: policy, engine: DetectionEngine(lists: .empty))
    }

    static let longMessage = Fixtures.plainMessage + Array(String(repeating: "More words than the inline pass reads.\r\n", count: 100).utf8)

    @Test(arguments: [1, 7, 65_535])
    func aMessageCutByTheByteBudgetIsDeferredWithEveryByteAsReceived(chunkSize: Int) throws {
        var replay = MilterReplay(envelopeSender: "<alice@example.org>", recipients: ["<bob@gannet.test>"], queueID: "4DEF1")
        replay.bodyChunkSize = chunkSize
        let message = RawMessage(bytes: Self.longMessage)
        let result = replay.run(message, snapshot: Self.snapshot(byteBudget: 1_024))
        #expect(result.outcome.inlineDecision == .defer)
        let deferred = try #require(result.outcome.deferred)
        #expect(deferred.action == .hold)
        #expect(deferred.inline.decision == .defer)
        #expect(deferred.inline.reasons.first?.name == "INLINE_DEFERRED")
        let spooled = RawMessage(bytes: try #require(deferred.bytes))
        #expect(spooled.headers == message.headers)
        #expect(spooled.body == message.body)
        // Held, and stamped `defer`: a held message cannot be restamped with the full verdict.
        #expect(result.applied.contains(.addHeader(name: "X-Gannet-Verdict", value: "defer score=0.018 category=spam model=none id=\(replay.verdictID)")))
        #expect(deferred.verdictID == replay.verdictID && VerdictID.isVerdictID(replay.verdictID))
        #expect(result.applied.contains { if case .quarantine = $0 { true } else { false } })
    }

    @Test func aDeferredMessageOverTheSpoolLimitHasNoBytes() throws {
        let replay = MilterReplay(envelopeSender: "<alice@example.org>", recipients: ["<bob@gannet.test>"])
        let result = replay.run(RawMessage(bytes: Self.longMessage), snapshot: Self.snapshot(byteBudget: 1_024, spoolLimit: 2_048, onDefer: .accept))
        let deferred = try #require(result.outcome.deferred)
        #expect(deferred.bytes == nil)
        #expect(!result.applied.contains { if case .quarantine = $0 { true } else { false } })
        let held = result.outcome.holding(reason: "Gannet unscored TOO_LARGE_TO_SPOOL")
        #expect(held.modifications.last == .quarantine(reason: "Gannet unscored TOO_LARGE_TO_SPOOL"))
    }

    @Test func aDecidedMessageIsNotHandedOn() {
        let replay = MilterReplay(envelopeSender: "<alice@example.org>", recipients: ["<bob@gannet.test>"])
        let result = replay.run(RawMessage(bytes: Fixtures.plainMessage), snapshot: Self.snapshot())
        #expect(result.outcome.inlineDecision == .accept)
        #expect(result.outcome.deferred == nil)
    }
}
