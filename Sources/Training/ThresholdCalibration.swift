import Foundation

/// Picks decision thresholds on held-out scores.
public enum ThresholdCalibration {
    /// The lowest threshold at which at most `targetRate` of the ham scores are at or above it.
    public static func threshold(hamScores: [Double], targetRate: Double) -> Double {
        hamScores.isEmpty ? 0.5 : min(1, logOddsThreshold(hamLogOdds: hamScores, targetRate: targetRate))
    }

    /// The same cut on log-odds, which have no ceiling: a ham whose score is exactly 1.0 still
    /// has log-odds that attacks can rank above. With no ham, even odds (0).
    public static func logOddsThreshold(hamLogOdds: [Double], targetRate: Double) -> Double {
        let sorted = hamLogOdds.sorted(by: >)
        guard !sorted.isEmpty else { return 0 }
        let allowed = Int((targetRate * Double(sorted.count)).rounded(.down))
        // With `allowed` false positives permitted, the threshold sits just above the next ham.
        return sorted[min(allowed, sorted.count - 1)].nextUp
    }

    /// The lowest threshold whose false-positive rate is at most `targetRate` with 95%
    /// confidence: it lets through only as many of the ham scores as keep the one-sided 95%
    /// upper (Poisson) bound on the rate within the target. With too few ham to show the
    /// target at all (under 3 / `targetRate` messages), no ham may reach it.
    public static func confidentThreshold(hamScores: [Double], targetRate: Double) -> Double {
        let sorted = hamScores.sorted(by: >)
        guard !sorted.isEmpty else { return 0.5 }
        let budget = targetRate * Double(sorted.count)
        var allowed = 0
        while allowed + 1 < sorted.count, poissonUpperBound(allowed + 1) <= budget { allowed += 1 }
        return min(1, sorted[allowed].nextUp)
    }

    /// The one-sided 95% upper confidence bound on a Poisson mean after `count` events:
    /// the mean at which `count` or fewer events happen 5% of the time.
    public static func poissonUpperBound(_ count: Int) -> Double {
        func atMost(_ mean: Double) -> Double {
            var term = exp(-mean), sum = term
            if count > 0 { for k in 1...count { term *= mean / Double(k); sum += term } }
            return sum
        }
        var low = Double(count), high = Double(count) + 10 + 5 * Double(count).squareRoot()
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if atMost(middle) > 0.05 { low = middle } else { high = middle }
        }
        return high
    }

    /// Share of attack scores at or above the threshold.
    public static func recall(attackScores: [Double], threshold: Double) -> Double {
        attackScores.isEmpty ? 0 : Double(attackScores.filter { $0 >= threshold }.count) / Double(attackScores.count)
    }
}
