import Detection
import FilterCore
import Features
import Testing

/// A model can pass every load check and still overflow on one message: two huge weights of
/// opposite sign give infinity minus infinity. That message gets the failure policy's reply
/// and no header; nothing traps.
@Suite struct NonFiniteScoreTests {
    static func overflowingEngine() throws -> DetectionEngine {
        let document = ModelDocument(
            id: "overflowing", created: "2026-12-04T00:00:00Z", featureSchema: FeatureSchema.digest, trainingData: "none",
            thresholds: .init(quarantine: 0.9, accept: 0.3),
            inline: .linear(LinearModelDocument(bias: 0, weights: ["url_count": 1e308, "recipients_count": -1e308])))
        return DetectionEngine(lists: .empty, model: try CompiledModel(document))
    }

    static let message = Array("""
        From: Alice <alice@example.org>\r
        To: bob@gannet.test, carol@gannet.test, dave@gannet.test\r
        Subject: links\r
        \r
        See https://one.example.org/a and https://two.example.net/b and https://three.example.com/c\r

        """.utf8)

    @Test(arguments: [FailureAction.tempfail, .accept])
    func aScoreThatIsNotANumberGetsTheFailurePolicy(action: FailureAction) throws {
        let snapshot = FilterSnapshot(policy: FilterPolicy(onInternalError: action), engine: try Self.overflowingEngine())
        let raw = RawMessage(bytes: Self.message)
        let result = MilterReplay(deriving: raw).run(raw, snapshot: snapshot)
        #expect(result.outcome.verdict == nil)
        #expect(result.outcome.internalError?.contains("not a number") == true)
        #expect(result.reply == action.reply)
        #expect(result.applied.isEmpty, "no header or quarantine for a verdict that is not one")
        #expect(!raw.fullVerdict(evidence: result.outcome.evidence, snapshot: snapshot).isFinite)
    }

    @Test func scoresPrintWhateverTheyAre() {
        #expect(Verdict.formatScore(.nan) == "nan")
        #expect(Verdict.formatScore(.infinity) == "1.000")
        #expect(Verdict.formatScore(-.infinity) == "0.000")
    }
}
