import Detection
import FilterCore
import Testing

@Suite struct ConnectionFilterTests {
    let replay = {
        var replay = MilterReplay(envelopeSender: "<alice@example.org>", recipients: ["<bob@gannet.test>"], queueID: "4XyZ1")
        replay.verdictID = "g-0123456789"
        return replay
    }()

    @Test func everyMessageGetsTheVerdictHeader() {
        let result = replay.run(RawMessage(bytes: Fixtures.plainMessage), snapshot: Fixtures.blockingSnapshot)
        #expect(result.reply == .continue)
        #expect(result.applied == [.addHeader(name: "X-Gannet-Verdict", value: "accept score=0.000 category=clean model=lists-1 id=g-0123456789")])
        #expect(result.outcome.queueID == "4XyZ1")
        #expect(result.outcome.evidence.headerFrom?.description == "alice@example.org")
    }

    @Test func blockedSenderIsQuarantinedWithAReason() {
        var blocked = replay
        blocked.envelopeSender = "<bad@evil.example>"
        let result = blocked.run(RawMessage(bytes: Fixtures.plainMessage), snapshot: Fixtures.blockingSnapshot)
        #expect(result.applied == [
            .addHeader(name: "X-Gannet-Verdict", value: "quarantine score=1.000 category=policy model=lists-1 id=g-0123456789"),
            .quarantine(reason: "Gannet policy score=1.000 id=g-0123456789 BLOCKED_SENDER"),
        ])
        #expect(result.reply == .continue)
    }

    @Test func forgedVerdictHeadersAreDeletedLastFirst() {
        let result = replay.run(RawMessage(bytes: Fixtures.forgedVerdictMessage), snapshot: Fixtures.blockingSnapshot)
        #expect(Array(result.applied.prefix(2)) == [
            .changeHeader(name: "X-Gannet-Verdict", index: 2, value: nil),
            .changeHeader(name: "X-Gannet-Verdict", index: 1, value: nil),
        ])
        #expect(result.applied.count == 3)
    }

    /// Thousands of forged headers would be thousands of round trips to Postfix, and a
    /// message carrying them is an attack on whatever trusts the header downstream.
    @Test func aFloodOfForgedVerdictHeadersIsHeldNotCleaned() {
        let forged = String(repeating: "X-Gannet-Verdict: accept score=0.000 category=clean model=forged\r\n", count: 5_000)
        let message = RawMessage(bytes: Array("From: Mallory <mallory@example.net>\r\n\(forged)To: a@gannet.test\r\nSubject: hi\r\n\r\nHello.\r\n".utf8))
        let result = replay.run(message, snapshot: Fixtures.blockingSnapshot)
        let deletions = result.applied.filter { if case .changeHeader = $0 { true } else { false } }
        #expect(deletions.count == ConnectionFilter.maximumStrippedVerdictHeaders)
        #expect(result.outcome.verdict?.decision == .quarantine)
        #expect(result.outcome.verdict?.reasons.first?.name == "FORGED_VERDICT_HEADERS")
        #expect(result.applied.contains { if case .quarantine = $0 { true } else { false } })
    }

    @Test func forgedHeadersStayWhenStrippingIsOff() {
        var policy = FilterPolicy()
        policy.stripIncomingVerdictHeaders = false
        let snapshot = FilterSnapshot(policy: policy, engine: Fixtures.blockingSnapshot.engine)
        let result = replay.run(RawMessage(bytes: Fixtures.forgedVerdictMessage), snapshot: snapshot)
        #expect(result.applied.count == 1)
    }

    @Test(arguments: [FailureAction.tempfail, .accept])
    func aFailedMilterCallAnswersWithTheFailurePolicy(policy: FailureAction) {
        let context = RecordingMilterContext()
        context.failingModification = { if case .addHeader = $0 { true } else { false } }
        let result = replay.run(RawMessage(bytes: Fixtures.plainMessage), snapshot: Fixtures.snapshot(onInternalError: policy), context: context)
        #expect(result.reply == policy.reply)
        #expect(result.error != nil)
    }

    @Test func modificationsOutsideEndOfMessageAreRefused() {
        let context = RecordingMilterContext()
        #expect(throws: MilterCallError.self) {
            try context.apply(.addHeader(name: "X-Test", value: "1"))
        }
    }

    @Test func theSnapshotIsFixedWhenTheMessageStarts() {
        var filter = ConnectionFilter()
        _ = filter.mailFrom(arguments: ["<x@example.org>"], snapshot: Fixtures.snapshot(onInternalError: .accept, modelID: "old"))
        _ = filter.header(name: "From", value: "x@example.org")
        // A reload between MAIL FROM and end of message must not change this message's model.
        _ = filter.rcptTo(arguments: ["<y@gannet.test>"])
        let outcome = filter.endOfMessage(queueID: "Q1")
        #expect(outcome.verdict?.modelID == "old")
        #expect(filter.failureAction == .tempfail)
    }

    @Test func aConnectionCarriesSeveralMessagesAndAbortForgetsOne() {
        var filter = ConnectionFilter()
        _ = filter.connect(host: "client.example", address: "192.0.2.1")
        _ = filter.mailFrom(arguments: ["<bad@evil.example>"], snapshot: Fixtures.blockingSnapshot)
        filter.abort()
        let afterAbort = filter.endOfMessage(queueID: nil)
        #expect(afterAbort.verdict == nil)
        #expect(afterAbort.reply == .tempfail)

        _ = filter.mailFrom(arguments: ["<alice@example.org>"], snapshot: Fixtures.blockingSnapshot)
        _ = filter.rcptTo(arguments: ["<a@gannet.test>"])
        _ = filter.rcptTo(arguments: ["<b@gannet.test>", "NOTIFY=NEVER"])
        let first = filter.endOfMessage(queueID: "Q2")
        #expect(first.verdict?.decision == .accept)
        #expect(first.evidence.recipients.map(\.description) == ["a@gannet.test", "b@gannet.test"])

        _ = filter.mailFrom(arguments: ["<bad@evil.example>"], snapshot: Fixtures.blockingSnapshot)
        #expect(filter.endOfMessage(queueID: "Q3").verdict?.decision == .quarantine)
        #expect(filter.clientAddress == "192.0.2.1")
    }

    @Test(arguments: [1, 7, 65_535])
    func bodyChunkingDoesNotChangeTheOutcome(chunkSize: Int) {
        var chunked = replay
        chunked.bodyChunkSize = chunkSize
        let message = RawMessage(bytes: Fixtures.plainMessage)
        let whole = replay.run(message, snapshot: Fixtures.blockingSnapshot)
        let result = chunked.run(message, snapshot: Fixtures.blockingSnapshot)
        #expect(result.applied == whole.applied)
        #expect(result.outcome.sizeBytes == whole.outcome.sizeBytes)
    }

    @Test func derivedEnvelopeComesFromTheStoredHeaders() {
        let message = RawMessage(bytes: Fixtures.plainMessage)
        let derived = MilterReplay(deriving: message)
        #expect(derived.envelopeSender == "<alice@example.org>")
        #expect(derived.recipients == ["bob@gannet.test"])
    }
}

@Suite struct InlineBudgetTests {
    @Test(arguments: [DeferAction.hold, .accept])
    func aDecisionOverItsBudgetIsDeferredAndResolvedByPolicy(onDefer: DeferAction) {
        var policy = FilterPolicy()
        policy.onDefer = onDefer
        policy.inlineBudget = .milliseconds(5)
        let snapshot = FilterSnapshot(policy: policy, engine: Fixtures.blockingSnapshot.engine)
        var filter = ConnectionFilter()
        _ = filter.mailFrom(arguments: ["<alice@example.org>"], snapshot: snapshot)
        let outcome = filter.endOfMessage(queueID: "Q1") { .milliseconds(6) }
        #expect(outcome.inlineDecision == .defer)
        #expect(outcome.verdict?.decision == (onDefer == .hold ? .quarantine : .accept))
        #expect(outcome.verdict?.reasons.first?.name == "INLINE_OVER_BUDGET")
        #expect(outcome.modifications.contains { if case .quarantine = $0 { true } else { false } } == (onDefer == .hold))
    }

    @Test func listDecisionsStandWhateverTheTime() {
        var filter = ConnectionFilter()
        _ = filter.mailFrom(arguments: ["<bad@evil.example>"], snapshot: Fixtures.blockingSnapshot)
        let outcome = filter.endOfMessage(queueID: "Q2") { .seconds(1) }
        #expect(outcome.inlineDecision == .quarantine)
        #expect(outcome.verdict?.reasons.map(\.name) == ["BLOCKED_SENDER"])
    }
}
