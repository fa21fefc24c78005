import Detection
import FilterCore
import Foundation
import Testing
import Training

@Suite struct CapabilityGapReportTests {
    static func outcome(_ path: String, _ label: String, _ decision: String, source: String = "", category: String? = nil,
                        reasons: [String] = [], evidence: [String] = []) -> Evaluation.Outcome {
        let attack = decision == "quarantine"
        return Evaluation.Outcome(path: path, label: label, source: source, category: category ?? (label == "ham" ? "ham" : "phishing"),
                                  score: attack ? 0.99 : 0.01, logOdds: attack ? 4.6 : -4.6, decision: decision, inlineDecision: decision,
                                  fullDecision: decision, inlineMicroseconds: 10, reasons: reasons, evidence: evidence)
    }

    /// Mistakes of six shapes among right answers, interleaved so that input order shows.
    static let outcomes = [
        outcome("ok/ham", "ham", "accept", source: "usrp-users", reasons: ["TRACKING_PIXELS"]),
        outcome("pot/1", "phish", "accept", source: "phishing_pot"),
        outcome("usrp/1", "ham", "quarantine", source: "usrp-users", reasons: ["TRACKING_PIXELS", "HTML_ONLY"]),
        outcome("ok/phish", "phish", "quarantine", source: "phishing_pot", reasons: ["NGRAMS"]),
        outcome("usrp/2", "ham", "quarantine", source: "usrp-users", reasons: ["TRACKING_PIXELS", "NGRAMS", "HTML_ONLY", "HTML_ONLY"]),
        outcome("pot/2", "phish", "accept", source: "phishing_pot", reasons: ["URL_COUNT"]),
        outcome("pot/seen", "phish", "accept", source: "phishing_pot", reasons: ["URL_CREDENTIAL_PATH"], evidence: ["credential_harvest", "pressure"]),
        outcome("usrp/3", "ham", "quarantine", source: "usrp-users", reasons: ["TRACKING_PIXELS", "HTML_ONLY"]),
        outcome("usrp/4", "ham", "quarantine", source: "usrp-users", reasons: ["NGRAMS"]),
        outcome("pot/3", "phish", "accept", source: "phishing_pot"),
        outcome("ceo", "phish", "accept", category: "bec", evidence: ["impersonation"]),
        outcome("pot/bulk", "phish", "accept", source: "phishing_pot", reasons: ["BULK_WITHOUT_ATTACK_EVIDENCE", "NGRAMS"]),
    ]

    @Test func mistakesAreGroupedNamedAndSortedBySize() {
        let gaps = CapabilityGapReport(Self.outcomes).gaps
        #expect(gaps.map(\.name) == [
            "ham from usrp-users quarantined, led by TRACKING_PIXELS",
            "phishing from phishing_pot accepted with no attack evidence",
            "bec accepted with evidence impersonation but below threshold",
            "ham from usrp-users quarantined, led by NGRAMS",
            "phishing from phishing_pot accepted with evidence credential_harvest, pressure but below threshold",
            "phishing from phishing_pot delivered as bulk with no attack evidence",
        ])
        #expect(gaps.map(\.count) == [3, 3, 1, 1, 1, 1])
        #expect(gaps.map(\.kind) == ["false positive", "missed attack", "missed attack", "false positive", "missed attack", "missed attack"])
        #expect(gaps.map(\.category) == ["ham", "phishing", "bec", "ham", "phishing", "phishing"])
        #expect(gaps.map(\.source) == ["usrp-users", "phishing_pot", "", "usrp-users", "phishing_pot", "phishing_pot"])
    }

    @Test func aGapKeepsItsFirstTwoExamplesAndItsMostCommonTopReasons() {
        let gaps = CapabilityGapReport(Self.outcomes).gaps
        #expect(gaps[0].examples == ["usrp/1", "usrp/2"])
        #expect(gaps[1].examples == ["pot/1", "pot/2"])
        #expect(gaps[3].examples == ["usrp/4"])
        // Only each member's top two count: HTML_ONLY is third for usrp/2.
        #expect(gaps[0].leadingReasons == ["TRACKING_PIXELS", "HTML_ONLY"])
        #expect(gaps[1].leadingReasons == ["URL_COUNT"])
    }

    @Test func missedAttacksNameTheEvidenceTheyLacked() {
        let gaps = CapabilityGapReport(Self.outcomes).gaps
        #expect(gaps[1].missingEvidence == AttackEvidence.allCases.map(\.rawValue))
        #expect(gaps[4].missingEvidence == ["deceptive_link", "impersonation", "throwaway_sender", "authentication_failure", "dangerous_attachment", "first_contact_payment"])
        #expect(gaps[0].missingEvidence.isEmpty)
    }

    @Test func acceptedHamAndQuarantinedAttacksAreNoGap() {
        let right = Self.outcomes.filter { ($0.label == "ham") == ($0.decision == "accept") }
        #expect(right.count == 2)
        #expect(CapabilityGapReport(right).gaps.isEmpty)
    }

    @Test func theReportCarriesTheGapsToJSONAndThePage() throws {
        let report = EvaluationReport.make(model: "m", outcomes: Self.outcomes, ablation: [:])
        #expect(report.gaps == CapabilityGapReport(Self.outcomes).gaps)
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.gaps == report.gaps)
        let page = ReportPage.html(report, outcomes: Self.outcomes)
        #expect(page.contains("<h2>Capability gaps: 6</h2>") && page.contains("led by TRACKING_PIXELS") && page.contains("usrp/1<br>usrp/2"))
    }

    /// A credential-phishing message shows its login link, IP-literal link and brand name; a
    /// note about lunch shows nothing.
    @Test func evaluationFindsTheEvidenceInTheMessage() throws {
        let directory = NSTemporaryDirectory() + "gannet-evidence-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "From: PayPal <service@paypa1-secure.example>\nTo: a@gannet.test\nSubject: verify\n\nVerify your account at http://198.51.100.7/login now.\n"
            .write(toFile: "\(directory)/phish.eml", atomically: true, encoding: .utf8)
        try "From: Alice <alice@example.org>\nTo: a@gannet.test\nSubject: lunch\n\nSee you at noon.\n".write(toFile: "\(directory)/ham.eml", atomically: true, encoding: .utf8)
        let evaluation = Evaluation(snapshot: FilterSnapshot(policy: FilterPolicy(), engine: DetectionEngine(lists: .empty)))
        let outcomes = evaluation.outcomes([CorpusEntry(location: "\(directory)/phish.eml", label: "phish"), CorpusEntry(location: "\(directory)/ham.eml", label: "ham")])
        #expect(outcomes.map(\.evidence) == [["credential_harvest", "deceptive_link", "impersonation"], []])
    }
}
