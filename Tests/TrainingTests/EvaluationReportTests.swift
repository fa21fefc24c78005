import Foundation
import Testing
import Training

@Suite struct EvaluationReportTests {
    /// An outcome whose log-odds are those of `score`.
    static func outcome(_ label: String, _ score: Double, _ decision: String, inline: String? = nil) -> Evaluation.Outcome {
        outcome(label, score: score, logOdds: log(score / (1 - score)), decision, inline: inline)
    }

    static func outcome(_ label: String, score: Double, logOdds: Double, _ decision: String, inline: String? = nil) -> Evaluation.Outcome {
        Evaluation.Outcome(path: "\(label)-\(score)-\(logOdds)", label: label, source: "", category: label == "phish" ? "phishing" : label, score: score,
                           logOdds: logOdds, decision: decision, inlineDecision: inline ?? decision, fullDecision: decision, inlineMicroseconds: 10, reasons: ["R"], evidence: [])
    }

    @Test func confusionListsAndRatesComeFromTheOutcomes() {
        let outcomes = [Self.outcome("ham", 0.1, "accept"), Self.outcome("ham", 0.95, "quarantine"), Self.outcome("phish", 0.99, "quarantine"),
                        Self.outcome("phish", 0.2, "accept", inline: "defer"), Self.outcome("spam", 0.97, "quarantine")]
        let report = EvaluationReport.make(model: "m", outcomes: outcomes, ablation: ["all": 1])
        #expect(report.messages == ["ham": 2, "phish": 2, "spam": 1])
        #expect(report.confusion["ham"] == ["accept": 1, "quarantine": 1])
        #expect(report.falsePositives.map(\.score) == [0.95])
        #expect(report.falseNegatives.map(\.score) == [0.2])
        #expect(report.deferRate == 0.2)
        #expect(report.recallByCategory["phishing"] == 0.5)
        #expect(report.recallAtFalsePositiveRate["0.01"] == 2.0 / 3.0)
        let page = ReportPage.html(report, outcomes: outcomes)
        #expect(page.hasPrefix("<!doctype html>") && page.contains("<svg") && page.contains(report.falseNegatives[0].path))
    }

    /// Two attacks and a ham all score exactly 1.0 in Double; only their log-odds order them.
    /// At a 1% false-positive rate on two ham, no ham may pass: the attack above the loud ham
    /// is caught and the one below it is not. By score, the loud ham ties both attacks.
    @Test func rankingUsesLogOddsWhereScoresSaturate() {
        #expect(1 / (1 + exp(-40.0)) == 1)
        let outcomes = [Self.outcome("ham", score: 1, logOdds: 42, "quarantine"), Self.outcome("ham", score: 0.007, logOdds: -5, "accept"),
                        Self.outcome("phish", score: 1, logOdds: 45, "quarantine"), Self.outcome("spam", score: 1, logOdds: 40, "quarantine")]
        let report = EvaluationReport.make(model: "m", outcomes: outcomes, ablation: [:])
        #expect(report.recallAtFalsePositiveRate["0.01"] == 0.5)
        #expect(report.recallAtOneInAThousandByLabel == ["phish": 1, "spam": 0])
        #expect(report.rocAUC == 0.75)
        #expect(EvaluationMetrics.recall(attacks: [1, 1], ham: [1, 0.007], atFalsePositiveRate: 0.01) == 0)
    }
}
