/// Whether a candidate model may replace the one in service: recall may not drop and the
/// false-positive rate may not rise beyond the tolerances, measured on the same corpus at
/// each model's own thresholds, through the same rules and lists.
public struct DeploymentGate: Sendable, Equatable {
    public var maximumRecallDrop: Double
    public var maximumFalsePositiveRise: Double

    public init(maximumRecallDrop: Double = 0, maximumFalsePositiveRise: Double = 0.0005) {
        self.maximumRecallDrop = maximumRecallDrop
        self.maximumFalsePositiveRise = maximumFalsePositiveRise
    }

    /// Recall and false-positive rate of final decisions.
    public struct Figures: Sendable, Equatable {
        public let recall: Double
        public let falsePositiveRate: Double

        public init(recall: Double, falsePositiveRate: Double) {
            self.recall = recall
            self.falsePositiveRate = falsePositiveRate
        }

        public init(_ outcomes: [Evaluation.Outcome]) {
            let attacks = outcomes.filter { $0.label != "ham" }, ham = outcomes.filter { $0.label == "ham" }
            recall = attacks.isEmpty ? 0 : Double(attacks.filter { $0.decision == "quarantine" }.count) / Double(attacks.count)
            falsePositiveRate = ham.isEmpty ? 0 : Double(ham.filter { $0.decision == "quarantine" }.count) / Double(ham.count)
        }
    }

    /// Nil when the candidate passes, else why not.
    public func refusal(candidate: Figures, current: Figures?) -> String? {
        guard let current else { return nil }
        if candidate.recall < current.recall - maximumRecallDrop - 1e-12 {
            return "recall would drop from \(current.recall) to \(candidate.recall) (tolerance \(maximumRecallDrop))"
        }
        if candidate.falsePositiveRate > current.falsePositiveRate + maximumFalsePositiveRise + 1e-12 {
            return "false-positive rate would rise from \(current.falsePositiveRate) to \(candidate.falsePositiveRate) (tolerance \(maximumFalsePositiveRise))"
        }
        return nil
    }
}
