/// Ranking and threshold metrics over the log-odds of ham and attacks (any value that ranks
/// messages will do; evaluation passes log-odds because scores tie at 1.0).
public enum EvaluationMetrics {
    /// Recall of attacks at the threshold that lets `falsePositiveRate` of ham through.
    public static func recall(attacks: [Double], ham: [Double], atFalsePositiveRate rate: Double) -> Double {
        ThresholdCalibration.recall(attackScores: attacks, threshold: ThresholdCalibration.logOddsThreshold(hamLogOdds: ham, targetRate: rate))
    }

    /// Area under the ROC curve: the chance a random attack ranks above a random ham (ties
    /// count half), by the rank-sum formula.
    public static func rocAUC(attacks: [Double], ham: [Double]) -> Double {
        guard !attacks.isEmpty, !ham.isEmpty else { return .nan }
        let all = (attacks.map { ($0, true) } + ham.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var index = 0
        while index < all.count {
            var end = index
            while end + 1 < all.count, all[end + 1].0 == all[index].0 { end += 1 }
            let averageRank = Double(index + end) / 2 + 1
            for position in index...end where all[position].1 { rankSum += averageRank }
            index = end + 1
        }
        let attackCount = Double(attacks.count)
        return (rankSum - attackCount * (attackCount + 1) / 2) / (attackCount * Double(ham.count))
    }

    /// Points (false-positive rate, recall) of the ROC curve, one per distinct value.
    public static func rocCurve(attacks: [Double], ham: [Double]) -> [(falsePositiveRate: Double, recall: Double)] {
        let thresholds = Set(attacks + ham).sorted(by: >)
        var points: [(Double, Double)] = [(0, 0)]
        for threshold in thresholds {
            points.append((Double(ham.filter { $0 >= threshold }.count) / Double(max(1, ham.count)),
                           Double(attacks.filter { $0 >= threshold }.count) / Double(max(1, attacks.count))))
        }
        return points
    }

    /// Points (recall, precision) of the precision-recall curve, one per distinct value.
    public static func precisionRecallCurve(attacks: [Double], ham: [Double]) -> [(recall: Double, precision: Double)] {
        Set(attacks + ham).sorted(by: >).map { threshold in
            let caught = Double(attacks.filter { $0 >= threshold }.count), wrong = Double(ham.filter { $0 >= threshold }.count)
            return (caught / Double(max(1, attacks.count)), caught + wrong == 0 ? 1 : caught / (caught + wrong))
        }
    }
}
