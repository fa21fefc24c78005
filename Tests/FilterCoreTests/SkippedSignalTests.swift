import Detection
import FilterCore
import Features
import Testing

/// A store that answers from its local cache: the shared store did not answer in budget.
struct FallingBackStore: BaselineLookup {
    func signals(for message: BaselineQuery) -> BaselineSignals {
        var signals = BaselineSignals()
        signals[.storeFallback] = 1
        return signals
    }
}

/// What a verdict was made without is recorded, and decides per `on_incomplete`.
@Suite struct SkippedSignalTests {
    static func snapshot(onIncomplete: IncompleteVerdictAction) -> FilterSnapshot {
        var policy = FilterPolicy()
        policy.onIncomplete = onIncomplete
        return FilterSnapshot(policy: policy, engine: DetectionEngine(lists: SenderLists(blockedAddresses: ["bad@evil.example"])))
    }

    @Test func eachSkippedSignalIsNamed() {
        var features = FeatureVector()
        #expect(SkippedSignal.skipped(in: features).isEmpty)
        features[.storeFallback] = 1
        features[.parserLimitsHit] = 2
        features[.transferDecodeErrors] = 1
        features[.bodyCut] = 1
        #expect(SkippedSignal.skipped(in: features) == [.bodyCut, .baselinesStore, .pastParserLimit, .undecodedPart])
    }

    @Test(arguments: [IncompleteVerdictAction.accept, .defer])
    func aVerdictWithoutTheBaselinesStoreSaysSoAndFollowsThePolicy(onIncomplete: IncompleteVerdictAction) throws {
        let replay = MilterReplay(envelopeSender: "<alice@example.org>", recipients: ["<bob@gannet.test>"], queueID: "4INC1")
        let result = replay.run(RawMessage(bytes: Fixtures.plainMessage), snapshot: Self.snapshot(onIncomplete: onIncomplete), baselines: FallingBackStore())
        let verdict = try #require(result.outcome.verdict)
        #expect(verdict.reasons.contains { $0.name == "SKIPPED_BASELINES_STORE" && $0.weight == 0 })
        switch onIncomplete {
        case .accept:
            #expect(result.outcome.inlineDecision == .accept && result.outcome.deferred == nil)
        case .defer:
            #expect(result.outcome.inlineDecision == .defer && verdict.reasons.first?.name == "INLINE_INCOMPLETE")
            #expect(result.outcome.deferred != nil)
        }
    }

    @Test func aListDecisionIsNotDeferredForWhatItDidNotNeed() {
        var replay = MilterReplay(envelopeSender: "<bad@evil.example>", recipients: ["<bob@gannet.test>"], queueID: "4INC2")
        replay.verdictID = "g-0123456789"
        let result = replay.run(RawMessage(bytes: Fixtures.plainMessage), snapshot: Self.snapshot(onIncomplete: .defer), baselines: FallingBackStore())
        #expect(result.outcome.inlineDecision == .quarantine)
    }
}
