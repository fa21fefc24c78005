import Features

/// A validated, ready-to-score model: the unit that is swapped in on reload.
public struct CompiledModel: Sendable {
    public let id: String
    public let created: String
    public let trainingData: String
    public let thresholds: ModelDocument.Thresholds
    private let inline: Scorer
    private let full: Scorer?

    private enum Scorer: Sendable {
        case linear(CompiledLinearModel)
        case trees(CompiledTreeEnsemble)
        case stacked(text: CompiledLinearModel, trees: CompiledTreeEnsemble)

        init(_ document: SubModelDocument, schema: [String: Int]) throws(ModelValidationError) {
            switch document {
            case .linear(let linear): self = .linear(try CompiledLinearModel(linear, schema: schema))
            case .trees(let trees): self = .trees(try CompiledTreeEnsemble(trees, schema: schema))
            case .stacked(let stacked):
                var withText = schema
                withText[StackedModelDocument.textInput] = schema.count
                self = .stacked(text: try CompiledLinearModel(stacked.text, schema: schema), trees: try CompiledTreeEnsemble(stacked.trees, schema: withText))
            }
        }

        func score(_ vector: FeatureVector, explain: Bool) -> ModelScore {
            switch self {
            case .linear(let model): model.score(vector, explain: explain)
            case .trees(let model): model.score(vector, explain: explain)
            case .stacked(let text, let trees): trees.score(vector, extraInput: text.score(vector, explain: false).logit, explain: explain)
            }
        }
    }

    /// Checks format, version, the feature-schema digest, thresholds and every number, then
    /// lays the sub-models out for scoring. `schemaDigest` defaults to the running extractor's.
    public init(_ document: ModelDocument, schemaDigest: String = FeatureSchema.digest) throws(ModelValidationError) {
        guard document.format == ModelDocument.formatName else { throw ModelValidationError("not a Gannet model (format '\(document.format)')") }
        guard document.formatVersion == ModelDocument.currentVersion else {
            throw ModelValidationError("model format version \(document.formatVersion); this Gannet reads version \(ModelDocument.currentVersion)")
        }
        guard document.featureSchema == schemaDigest else {
            throw ModelValidationError("model was trained for feature schema \(document.featureSchema), this extractor has \(schemaDigest)")
        }
        guard !document.id.isEmpty, document.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw ModelValidationError("model id '\(document.id)' must be letters, digits, '-', '_' or '.'")
        }
        let thresholds = document.thresholds
        guard thresholds.accept.isFinite, thresholds.quarantine.isFinite, 0 <= thresholds.accept, thresholds.accept <= thresholds.quarantine,
              thresholds.quarantine <= 1 else {
            throw ModelValidationError("thresholds must satisfy 0 ≤ accept (\(thresholds.accept)) ≤ quarantine (\(thresholds.quarantine)) ≤ 1")
        }
        if let full = thresholds.fullQuarantine, !(full.isFinite && 0 <= full && full <= 1) {
            throw ModelValidationError("full_quarantine threshold \(full) is not in 0…1")
        }
        let schema = Dictionary(uniqueKeysWithValues: FeatureSchema.definitions.enumerated().map { ($0.element.name, $0.offset) })
        self.id = document.id
        self.created = document.created
        self.trainingData = document.trainingData
        self.thresholds = thresholds
        self.inline = try Scorer(document.inline, schema: schema)
        self.full = try document.full.map { document throws(ModelValidationError) in try Scorer(document, schema: schema) }
    }

    /// Scores the inline vector with the inline model.
    public func scoreInline(_ vector: FeatureVector, explain: Bool = false) -> ModelScore {
        inline.score(vector, explain: explain)
    }

    /// Scores the full vector with the full model (the inline model when there is none).
    public func scoreFull(_ vector: FeatureVector, explain: Bool = false) -> ModelScore {
        (full ?? inline).score(vector, explain: explain)
    }
}
