import Foundation

/// The figures `gannet simulate` prints and writes as JSON: attack recall of a content-only
/// model and of a content + behaviour model (with baselines on and off) at fixed ham
/// false-positive rates.
public struct BehaviourLiftReport: Codable, Sendable {
    public struct Row: Codable, Sendable {
        /// "all attacks", "corpus phish", "corpus spam" or an injected kind.
        public let group: String
        public let messages: Int
        public let contentOnly: Double
        public let withBehaviour: Double
        public let withBehaviourBaselinesOff: Double

        /// Recall points the behaviour features add.
        public var lift: Double { withBehaviour - contentOnly }
    }

    public struct Rate: Codable, Sendable {
        public let falsePositiveRate: Double
        public let rows: [Row]
    }

    public let days: Int
    public let seed: UInt64
    public let trainingMessages: Int
    /// The test stream's genuine corpus messages, on which thresholds are set.
    public let genuineTestMessages: Int
    public let rates: [Rate]

    /// A plain-text table per false-positive rate.
    public var text: String {
        var lines = ["tenant streams of \(days) days (seed \(seed) for training, \(seed &+ 1) for testing); \(trainingMessages) training messages; thresholds on \(genuineTestMessages) genuine test messages"]
        func percent(_ value: Double) -> String { String(format: "%6.1f%%", value * 100) }
        for rate in rates {
            lines.append("")
            lines.append(String(format: "at ham false-positive rate %g%%:", rate.falsePositiveRate * 100))
            lines.append("  " + "attacks".padding(toLength: 38, withPad: " ", startingAt: 0) + " content only  + behaviour    lift  + behaviour, baselines off")
            for row in rate.rows {
                let label = "\(row.group) (\(row.messages))".padding(toLength: 38, withPad: " ", startingAt: 0)
                lines.append("  \(label) \(percent(row.contentOnly))       \(percent(row.withBehaviour))  \(String(format: "%+6.1f", row.lift * 100))  \(percent(row.withBehaviourBaselinesOff))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
