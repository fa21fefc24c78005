import Foundation

/// The figures `gannet eval` writes to report.json (and shows in report.html).
public struct EvaluationReport: Codable, Sendable {
    public var model: String
    public var messages: [String: Int]
    /// Attack recall at ham false-positive rates 1%, 0.1% and 0.01% (keys "0.01"…), ranking
    /// by log-odds, as every ranking figure here does.
    public var recallAtFalsePositiveRate: [String: Double]
    /// The same at 0.1% for each attack label.
    public var recallAtOneInAThousandByLabel: [String: Double]
    public var rocAUC: Double
    /// label → decision → count, at the shipped thresholds.
    public var confusion: [String: [String: Int]]
    /// Share of each attack category (heuristic on the message) that was quarantined.
    public var recallByCategory: [String: Double]
    /// Recall of the full model at its quarantine threshold with one feature group removed.
    public var recallWithoutGroup: [String: Double]
    public var inlineFullAgreement: Double
    public var deferRate: Double
    public var inlineMicrosecondsP50: Double
    public var inlineMicrosecondsP99: Double
    /// Every ham source, then every attack source (see `SourceFigures`).
    public var bySource: [SourceFigures]
    /// The ham source with the lowest recall at 0.1% false positives on its own ham.
    public var worstHamSource: String?
    /// Missed attacks and false positives in named groups, largest first (`CapabilityGapReport`).
    public var gaps: [CapabilityGapReport.Gap]
    /// Leave-one-source-out folds, when the evaluation ran them (`SourceHoldout`).
    public var holdout: [SourceHoldout.Fold]?
    public var falseNegatives: [Evaluation.Outcome]
    public var falsePositives: [Evaluation.Outcome]

    public static func make(model: String, outcomes: [Evaluation.Outcome], ablation: [String: Double]) -> EvaluationReport {
        // Ranked by log-odds: scores of confident attacks are all 1.0, which would make a
        // 1-in-10,000 threshold a coin toss among ties.
        let attacks = outcomes.filter { $0.label != "ham" }.map(\.logOdds)
        let ham = outcomes.filter { $0.label == "ham" }.map(\.logOdds)
        var messages: [String: Int] = [:]
        var confusion: [String: [String: Int]] = [:]
        for outcome in outcomes {
            messages[outcome.label, default: 0] += 1
            confusion[outcome.label, default: [:]][outcome.decision, default: 0] += 1
        }
        var byLabel: [String: Double] = [:]
        for label in Set(outcomes.map(\.label)) where label != "ham" {
            byLabel[label] = EvaluationMetrics.recall(attacks: outcomes.filter { $0.label == label }.map(\.logOdds), ham: ham, atFalsePositiveRate: 0.001)
        }
        var byCategory: [String: Double] = [:]
        for category in Set(outcomes.filter { $0.label != "ham" }.map(\.category)) {
            let members = outcomes.filter { $0.label != "ham" && $0.category == category }
            byCategory[category] = Double(members.filter { $0.decision == "quarantine" }.count) / Double(members.count)
        }
        let bySource = SourceFigures.all(outcomes)
        let decided = outcomes.filter { $0.inlineDecision != "defer" }
        let latencies = outcomes.map(\.inlineMicroseconds).sorted()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return EvaluationReport(
            model: model, messages: messages,
            recallAtFalsePositiveRate: ["0.01": 0.01, "0.001": 0.001, "0.0001": 0.0001].mapValues { EvaluationMetrics.recall(attacks: attacks, ham: ham, atFalsePositiveRate: $0) },
            recallAtOneInAThousandByLabel: byLabel,
            rocAUC: EvaluationMetrics.rocAUC(attacks: attacks, ham: ham),
            confusion: confusion, recallByCategory: byCategory, recallWithoutGroup: ablation,
            inlineFullAgreement: decided.isEmpty ? 1 : Double(decided.filter { $0.inlineDecision == $0.fullDecision }.count) / Double(decided.count),
            deferRate: outcomes.isEmpty ? 0 : Double(outcomes.count - decided.count) / Double(outcomes.count),
            inlineMicrosecondsP50: percentile(0.5), inlineMicrosecondsP99: percentile(0.99),
            bySource: bySource, worstHamSource: SourceFigures.worstHamSource(bySource), gaps: CapabilityGapReport(outcomes).gaps,
            falseNegatives: outcomes.filter { $0.label != "ham" && $0.decision == "accept" }.sorted { $0.logOdds < $1.logOdds },
            falsePositives: outcomes.filter { $0.label == "ham" && $0.decision == "quarantine" }.sorted { $0.logOdds > $1.logOdds }
        )
    }
}
