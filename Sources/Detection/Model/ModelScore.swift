import Features
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

    /// Contributions per model input, indexed as `inputName` names them: accumulating into an
    /// array costs a fraction of hashing a name at every tree node.
    init(logit: Double, byInput: [Double]) {
        self.init(logit: logit, named: byInput.indices.filter { byInput[$0] != 0 }.map { (name: Self.inputName($0), value: byInput[$0]) })
    }

    private init(logit: Double, named: [(name: String, value: Double)]) {
        self.logit = logit
        self.contributions = named.filter { $0.value != 0 }
            .sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.name < $1.name }
    }

    /// Inputs past the schema: a stacked model's text log-odds, then the constant part.
    static let textInput = FeatureSchema.count
    static let baseInput = FeatureSchema.count + 1
    static let inputCount = FeatureSchema.count + 2

    static func inputName(_ index: Int) -> String {
        switch index {
        case textInput: StackedModelDocument.textInput
        case baseInput: "base"
        default: FeatureSchema.definitions[index].name
        }
    }
}
