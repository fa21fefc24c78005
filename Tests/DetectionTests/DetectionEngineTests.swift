import Detection
import Features
import Testing

@Suite struct DetectionEngineTests {
    let engine = DetectionEngine(
        lists: SenderLists(
            blockedAddresses: ["Bad@Evil.example"], blockedDomains: ["@phish.test"],
            allowedAddresses: ["payroll@partner.example"], allowedDomains: ["trusted.example"]
        )
    )

    func decide(_ evidence: MessageEvidence) -> Verdict {
        engine.verdict(for: evidence, features: FeatureVector(), pass: .inline)
    }

    func evidence(_ sender: String?, from: String? = nil) -> MessageEvidence {
        MessageEvidence(envelopeSender: sender.flatMap { MailAddress(parsing: $0) }, recipients: [], headerFrom: from.flatMap { MailAddress(parsing: $0) })
    }

    @Test func blockedSenderIsQuarantined() {
        let verdict = decide(evidence("bad@evil.example"))
        #expect(verdict.decision == .quarantine)
        #expect(verdict.category == .policy)
        #expect(verdict.reasons.map(\.name) == ["BLOCKED_SENDER"])
        #expect(verdict.headerValue == "quarantine score=1.000 category=policy model=none")
    }

    @Test func blockedDomainCoversSubdomainsAndTheFromHeader() {
        #expect(decide(evidence("x@mail.phish.test")).reasons.map(\.name) == ["BLOCKED_DOMAIN"])
        let spoofed = decide(evidence("bounce@innocent.example", from: "Support <help@login.phish.test>"))
        #expect(spoofed.decision == .quarantine)
        #expect(!decide(evidence("x@notphish.test")).reasons.contains { $0.name == "BLOCKED_DOMAIN" })
    }

    @Test func blockingWinsOverAllowing() {
        let verdict = decide(evidence("payroll@partner.example", from: "bad@evil.example"))
        #expect(verdict.decision == .quarantine)
    }

    @Test func allowedSenderIsAcceptedWithReason() {
        let verdict = decide(evidence("payroll@partner.example", from: "Payroll <payroll@partner.example>"))
        #expect(verdict.decision == .accept)
        #expect(verdict.reasons.map(\.name) == ["ALLOWED_SENDER"])
        #expect(decide(evidence("anyone@eu.trusted.example")).reasons.map(\.name) == ["ALLOWED_DOMAIN"])
    }

    @Test func allowedEnvelopeDoesNotVouchForAForeignAuthor() {
        let verdict = decide(evidence("payroll@partner.example", from: "CEO <ceo@elsewhere.example>"))
        #expect(verdict.reasons.isEmpty)
        #expect(verdict.decision == .accept)
    }

    @Test func nullSenderAndUnlistedSendersAreAcceptedWithoutReasons() {
        #expect(decide(evidence(nil)).reasons.isEmpty)
        #expect(decide(evidence("someone@example.org")).headerValue == "accept score=0.018 category=clean model=none")
    }

    @Test func listDecisionsCarryTheirDocumentedLogOdds() {
        #expect(decide(evidence("bad@evil.example")).logOdds == Verdict.listedLogOdds)
        #expect(decide(evidence("payroll@partner.example")).logOdds == -Verdict.listedLogOdds)
    }

    /// Past a logit of about 37 the score is exactly 1.0; the log-odds still tell verdicts apart.
    @Test func theLogOddsKeepWhatTheSaturatedScoreLoses() {
        func verdict(baseLogit: Double) -> Verdict {
            DetectionEngine(lists: .empty, policy: DetectionPolicy(baseLogit: baseLogit))
                .verdict(for: evidence("someone@example.org"), features: FeatureVector(), pass: .full)
        }
        let sure = verdict(baseLogit: 45), surer = verdict(baseLogit: 50)
        #expect(sure.score == 1 && surer.score == 1)
        #expect(sure.logOdds == 45 && surer.logOdds == 50)
        #expect(verdict(baseLogit: -4).logOdds == -4)
    }

    @Test(arguments: [(0.0, "0.000"), (1.0, "1.000"), (0.12345, "0.123"), (0.9996, "1.000"), (0.05, "0.050"), (-3.0, "0.000"), (7.0, "1.000")])
    func scoresPrintWithThreeDecimals(score: Double, text: String) {
        #expect(Verdict.formatScore(score) == text)
    }
}
