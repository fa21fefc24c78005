import Foundation

/// What a model said about one message: its log-odds, and how each input moved them.
public struct ModelScore: Sendable, Equatable {
    public let logit: Double
    /// Named contributions to the logit (feature names, or `ngrams` for the text part),
    /// strongest (by magnitude) first.
    public let contributions: [(name: String, value: Double)]

    /// The score in 0…1.
    public var probability: Double { 1 / (1 + exp(-logit)) }

    public static func == (lhs: ModelScore, rhs: ModelScore) -> Bool {
        lhs.logit == rhs.logit && lhs.contributions.elementsEqual(rhs.contributions) { $0.name == $1.name && $0.value == $1.value }
    }

    init(logit: Double, contributions: [String: Double]) {
        self.logit = logit
        self.contributions = contributions.filter { $0.value != 0 }
            .sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.key < $1.key }
            .map { (name: $0.key, value: $0.value) }
    }
}
