import Foundation
import Testing
import Training

@Suite struct SourceFiguresTests {
    static func outcome(_ label: String, _ source: String, _ logOdds: Double) -> Evaluation.Outcome {
        let decision = logOdds >= 3 ? "quarantine" : "accept"
        return Evaluation.Outcome(path: "\(source)/\(logOdds)", label: label, source: source, category: label == "ham" ? "ham" : "phishing",
                                  score: 1 / (1 + exp(-logOdds)), logOdds: logOdds, decision: decision, inlineDecision: decision,
                                  fullDecision: decision, inlineMicroseconds: 10, reasons: [], evidence: [])
    }

    /// "lists": 100 quiet ham (log-odds −10 to −1.09) and one loud one at 5, quarantined.
    /// "office": ten ham at −8. Attacks at 6, 4, 2 and −9 from "pot" (6 and 4 quarantined),
    /// and one at 7 from "spamtrap".
    static let outcomes: [Evaluation.Outcome] = (0..<100).map { outcome("ham", "lists", -10 + Double($0) * 0.09) } + [outcome("ham", "lists", 5)]
        + Array(repeating: outcome("ham", "office", -8), count: 10)
        + [6, 4, 2, -9].map { outcome("phish", "pot", $0) } + [outcome("spam", "spamtrap", 7)]

    @Test func eachHamSourceSetsItsOwnThresholdAgainstEveryAttack() throws {
        let report = EvaluationReport.make(model: "m", outcomes: Self.outcomes, ablation: [:])
        #expect(report.bySource.map(\.source) == ["lists", "office", "pot", "spamtrap"])
        let lists = try #require(report.bySource.first { $0.source == "lists" })
        #expect(lists.kind == "ham" && lists.messages == 101 && lists.quarantined == 1)
        // 1% of 101 lets the loud ham through, so the cut sits above −1.09: 6, 7, 4 and 2 pass.
        // 0.1% lets none through, so the cut sits above 5: only 6 and 7 do.
        #expect(lists.recallAtFalsePositiveRate == ["0.01": 0.8, "0.001": 0.4])
        let office = try #require(report.bySource.first { $0.source == "office" })
        #expect(office.quarantined == 0 && office.quarantinedShare == 0)
        #expect(office.recallAtFalsePositiveRate == ["0.01": 0.8, "0.001": 0.8])
        #expect(report.worstHamSource == "lists")
        let pot = try #require(report.bySource.first { $0.source == "pot" })
        #expect(pot.kind == "attack" && pot.messages == 4 && pot.quarantined == 2 && pot.quarantinedShare == 0.5 && pot.recallAtFalsePositiveRate == nil)
    }

    /// A leave-one-source-out runner hands over the outcomes of one fold.
    @Test func oneSourcesFiguresComeFromAnyListOfOutcomes() {
        let fold = Self.outcomes.filter { $0.source == "office" || $0.source == "pot" }
        let office = SourceFigures.ham(from: "office", in: fold)
        #expect(office.messages == 10)
        #expect(office.recallAtFalsePositiveRate == ["0.01": 0.75, "0.001": 0.75])
        #expect(SourceFigures.ham(from: "absent", in: fold).messages == 0)
    }

    /// Equal recall at 0.1%: the source whose ham is quarantined more often is the worse,
    /// though both lost one message.
    @Test func aTieGoesToTheSourceQuarantinedMoreOften() {
        let outcomes = [Self.outcome("ham", "x", 3), Self.outcome("ham", "x", -3), Self.outcome("ham", "y", 3),
                        Self.outcome("phish", "pot", 4), Self.outcome("phish", "pot", 1)]
        let figures = SourceFigures.all(outcomes)
        #expect(figures.filter { $0.kind == "ham" }.map { $0.recallAtFalsePositiveRate?["0.001"] } == [0.5, 0.5])
        #expect(SourceFigures.worstHamSource(figures) == "y")
        #expect(SourceFigures.worstHamSource(SourceFigures.all(outcomes.filter { $0.label != "ham" })) == nil)
    }

    @Test func thePageHasATableBySource() {
        let report = EvaluationReport.make(model: "m", outcomes: Self.outcomes, ablation: [:])
        let page = ReportPage.html(report, outcomes: Self.outcomes)
        #expect(page.contains("<h2>By source</h2>") && page.contains("lists (worst ham source)") && page.contains("spamtrap"))
    }
}
