/// Picks decision thresholds on held-out scores.
public enum ThresholdCalibration {
    /// The lowest threshold at which at most `targetRate` of the ham scores are at or above it.
    public static func threshold(hamScores: [Double], targetRate: Double) -> Double {
        let sorted = hamScores.sorted(by: >)
        guard !sorted.isEmpty else { return 0.5 }
        let allowed = Int((targetRate * Double(sorted.count)).rounded(.down))
        // With `allowed` false positives permitted, the threshold sits just above the next ham.
        let boundary = sorted[min(allowed, sorted.count - 1)]
        return min(1, boundary.nextUp)
    }

    /// Share of attack scores at or above the threshold.
    public static func recall(attackScores: [Double], threshold: Double) -> Double {
        attackScores.isEmpty ? 0 : Double(attackScores.filter { $0 >= threshold }.count) / Double(attackScores.count)
    }
}
