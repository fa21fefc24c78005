/// How the messages of one corpus source fared. A corpus mixes sources (mailing-list
/// archives, a company's mailbox, phishing collections), and a model can look strong on the
/// whole while one source's ham pays for it; figures per source show which.
public struct SourceFigures: Codable, Sendable, Equatable {
    public let source: String
    /// "ham" for a ham source; "attack" for the attacks (of any label) of a source.
    public let kind: String
    public let messages: Int
    /// Quarantined at the shipped thresholds.
    public let quarantined: Int
    public let quarantinedShare: Double
    /// Ham sources only: recall of every attack in the outcomes at false-positive rates 1% and
    /// 0.1% (keys "0.01", "0.001") with the threshold set on this source's ham log-odds alone,
    /// as if it were the only mail the model had to spare. Under 1,000 ham, 0.1% lets none through.
    public let recallAtFalsePositiveRate: [String: Double]?

    /// The source as people read it: "(no source)" for messages whose corpus names none.
    public var name: String { source.isEmpty ? "(no source)" : source }

    /// The false-positive rates a ham source's recall is measured at.
    public static let falsePositiveRates = ["0.01": 0.01, "0.001": 0.001]

    /// The figures of the ham of `source` against all the attacks in `outcomes`. A caller with
    /// outcomes of its own (one held-out fold, say) gets the same figures for them.
    public static func ham(from source: String, in outcomes: [Evaluation.Outcome]) -> SourceFigures {
        let ham = outcomes.filter { $0.label == "ham" && $0.source == source }
        let recall = recallAtFalsePositiveRates(attacks: outcomes.filter { $0.label != "ham" }, ham: ham)
        return SourceFigures(source: source, kind: "ham", members: ham, recallAtFalsePositiveRate: recall)
    }

    /// Recall of `attacks` at each of `falsePositiveRates`, the threshold set on `ham`'s log-odds.
    public static func recallAtFalsePositiveRates(attacks: [Evaluation.Outcome], ham: [Evaluation.Outcome]) -> [String: Double] {
        falsePositiveRates.mapValues { EvaluationMetrics.recall(attacks: attacks.map(\.logOdds), ham: ham.map(\.logOdds), atFalsePositiveRate: $0) }
    }

    /// The figures of the attacks of `source` in `outcomes`: how many, and how many were quarantined.
    public static func attacks(from source: String, in outcomes: [Evaluation.Outcome]) -> SourceFigures {
        SourceFigures(source: source, kind: "attack", members: outcomes.filter { $0.label != "ham" && $0.source == source }, recallAtFalsePositiveRate: nil)
    }

    /// Every ham source, then every attack source, each in order of name.
    public static func all(_ outcomes: [Evaluation.Outcome]) -> [SourceFigures] {
        let hamSources = Set(outcomes.filter { $0.label == "ham" }.map(\.source)).sorted()
        let attackSources = Set(outcomes.filter { $0.label != "ham" }.map(\.source)).sorted()
        return hamSources.map { ham(from: $0, in: outcomes) } + attackSources.map { attacks(from: $0, in: outcomes) }
    }

    /// The ham source whose ham lets the fewest attacks through at 0.1% false positives; on a
    /// tie, the one whose ham was quarantined most often (then by name). Nil without ham.
    public static func worstHamSource(_ figures: [SourceFigures]) -> String? {
        func recall(_ figures: SourceFigures) -> Double { figures.recallAtFalsePositiveRate?["0.001"] ?? 0 }
        return figures.filter { $0.kind == "ham" }.min { lhs, rhs in
            if recall(lhs) != recall(rhs) { return recall(lhs) < recall(rhs) }
            if lhs.quarantinedShare != rhs.quarantinedShare { return lhs.quarantinedShare > rhs.quarantinedShare }
            return lhs.source < rhs.source
        }?.source
    }

    private init(source: String, kind: String, members: [Evaluation.Outcome], recallAtFalsePositiveRate: [String: Double]?) {
        self.source = source
        self.kind = kind
        messages = members.count
        quarantined = members.filter { $0.decision == "quarantine" }.count
        quarantinedShare = members.isEmpty ? 0 : Double(quarantined) / Double(members.count)
        self.recallAtFalsePositiveRate = recallAtFalsePositiveRate
    }
}
