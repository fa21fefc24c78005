import Detection
import Features
import Testing

/// Bulk mail without attack evidence is tagged and accepted whatever its content score; any
/// attack evidence, a forcing rule, or `bulk = "score"` lets the score decide again.
@Suite struct BulkMailTests {
    /// A newsletter: its own unsubscribe endpoint and link, links with the sender, a named sender.
    static let newsletter: FeatureVector = {
        var vector = FeatureVector()
        vector[.unsubscribeAligned] = 1
        vector[.urlUnsubscribe] = 1
        vector[.urlSenderAlignedShare] = 0.9
        vector[.displayNameNamesSender] = 1
        vector[.trackingPixels] = 3
        return vector
    }()

    /// With no model, the base log-odds stand in for a content score that says "attack".
    func engine(_ bulk: DetectionPolicy.BulkPolicy = .tag, rules: RuleEvaluator = RuleEvaluator(rules: .empty, externalLists: [:])) -> DetectionEngine {
        var policy = DetectionPolicy(baseLogit: 6)
        policy.bulk = bulk
        return DetectionEngine(lists: .empty, rules: rules, policy: policy)
    }

    let evidence = MessageEvidence(envelopeSender: nil, recipients: [], headerFrom: nil)

    @Test func recognisesBulkMailByWhatTheSenderRuns() {
        #expect(BulkMail.isBulk(Self.newsletter))
        for missing in [Feature.unsubscribeAligned, .displayNameNamesSender, .urlSenderAlignedShare] {
            var vector = Self.newsletter
            vector[missing] = 0
            if missing == .unsubscribeAligned { vector[.urlUnsubscribe] = 1 }
            #expect(!BulkMail.isBulk(vector), "\(missing)")
        }
        var unoffered = Self.newsletter
        unoffered[.urlUnsubscribe] = 0
        #expect(!BulkMail.isBulk(unoffered))
        unoffered[.phraseUnsubscribe] = 1
        #expect(BulkMail.isBulk(unoffered))
        var withArchive = Self.newsletter
        withArchive[.attachmentCount] = 1
        #expect(!BulkMail.isBulk(withArchive))
        withArchive[.attachmentPDF] = 1
        #expect(BulkMail.isBulk(withArchive))
    }

    @Test(arguments: [DetectionEngine.Pass.inline, .full]) func bulkWithoutEvidenceIsTaggedAndAccepted(pass: DetectionEngine.Pass) {
        let verdict = engine().verdict(for: evidence, features: Self.newsletter, pass: pass)
        #expect(verdict.decision == .accept)
        #expect(verdict.category == .bulk)
        #expect(verdict.reasons.first?.name == "BULK_WITHOUT_ATTACK_EVIDENCE")
        // Score, log-odds and the discount agree: just under the accept threshold, from +6.
        #expect(verdict.score < DetectionPolicy().acceptThreshold && verdict.score > DetectionPolicy().acceptThreshold - 0.01)
        #expect(abs(verdict.logOdds - (6 + verdict.reasons[0].weight)) < 1e-9)
    }

    @Test(arguments: [Feature.urlLookalike, .displayNameBrand, .senderDomainGenerated, .htmlPasswordInputs, .attachmentExecutable, .phraseAccountProblem, .dmarcFail])
    func attackEvidenceLetsTheScoreDecide(_ feature: Feature) {
        var vector = Self.newsletter
        vector[feature] = 1
        if feature == .attachmentExecutable { vector[.attachmentCount] = 1 }
        let verdict = engine().verdict(for: evidence, features: vector, pass: .full)
        #expect(verdict.decision == .quarantine, "\(feature)")
        #expect(!verdict.reasons.contains { $0.name == "BULK_WITHOUT_ATTACK_EVIDENCE" })
    }

    @Test func paymentWordingIsEvidenceOnlyFromAFirstContact() {
        var vector = Self.newsletter
        vector[.phrasePayment] = 1
        #expect(AttackEvidence.present(in: vector).isEmpty)
        vector[.baselinesAnswered] = 1
        vector[.pairFirstContactShare] = 1
        #expect(AttackEvidence.present(in: vector) == [.firstContactPayment])
        #expect(engine().verdict(for: evidence, features: vector, pass: .full).decision == .quarantine)
    }

    @Test func scorePolicyLetsTheScoreDecideButStillTagsAcceptedBulk() {
        #expect(engine(.score).verdict(for: evidence, features: Self.newsletter, pass: .full).decision == .quarantine)
        var lowScore = DetectionPolicy()
        lowScore.bulk = .score
        let accepted = DetectionEngine(lists: .empty, policy: lowScore).verdict(for: evidence, features: Self.newsletter, pass: .full)
        #expect(accepted.decision == .accept && accepted.category == .bulk)
    }

    @Test func aRuleThatForcesQuarantineWins() throws {
        let rules = RuleEvaluator(rules: try RuleParser.parse("rule HELD_BY_POLICY\n  when tracking_pixels > 2\n  then weight 1 quarantine\n", file: "test.gannet"), externalLists: [:])
        let verdict = engine(rules: rules).verdict(for: evidence, features: Self.newsletter, pass: .full)
        #expect(verdict.decision == .quarantine)
    }
}
