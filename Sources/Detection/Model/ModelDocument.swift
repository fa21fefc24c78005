import Foundation

/// A model file as written on disk (JSON), before validation. `CompiledModel` turns it into
/// flat arrays after checking everything a damaged or foreign file could get wrong.
public struct ModelDocument: Codable, Sendable, Equatable {
    /// Always "gannet-model".
    public var format: String
    /// Bumped when the layout changes; files of another version are refused.
    public var formatVersion: Int
    /// Stamped into every verdict as `model=<id>`.
    public var id: String
    /// ISO 8601 time of training.
    public var created: String
    /// `FeatureSchema.digest` of the extractor the model was trained against.
    public var featureSchema: String
    /// Digest of the training data, for tracing a model back to what it learnt from.
    public var trainingData: String
    public var thresholds: Thresholds
    /// Scores the inline vector (inline-cheap features only).
    public var inline: SubModelDocument
    /// Scores the full vector; absent when the inline model serves both.
    public var full: SubModelDocument?

    public init(
        id: String, created: String, featureSchema: String, trainingData: String, thresholds: Thresholds,
        inline: SubModelDocument, full: SubModelDocument? = nil
    ) {
        self.format = Self.formatName
        self.formatVersion = Self.currentVersion
        self.id = id
        self.created = created
        self.featureSchema = featureSchema
        self.trainingData = trainingData
        self.thresholds = thresholds
        self.inline = inline
        self.full = full
    }

    public struct Thresholds: Codable, Sendable, Equatable {
        /// Scores at or above this are quarantined.
        public var quarantine: Double
        /// Scores below this are accepted; between the two the message is deferred.
        public var accept: Double
        /// The full pass's quarantine threshold, when its scorer is calibrated apart (absent:
        /// `quarantine`).
        public var fullQuarantine: Double?

        public init(quarantine: Double, accept: Double, fullQuarantine: Double? = nil) {
            self.quarantine = quarantine
            self.accept = accept
            self.fullQuarantine = fullQuarantine
        }

        enum CodingKeys: String, CodingKey {
            case quarantine, accept
            case fullQuarantine = "full_quarantine"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, id, created, thresholds, inline, full
        case formatVersion = "format_version"
        case featureSchema = "feature_schema"
        case trainingData = "training_data"
    }

    public static let formatName = "gannet-model"
    public static let currentVersion = 1
}

/// One scorer: a linear model over dense features and hashed n-grams, a tree ensemble, or
/// a stack of the two.
public enum SubModelDocument: Codable, Sendable, Equatable {
    case linear(LinearModelDocument)
    case trees(TreeEnsembleDocument)
    case stacked(StackedModelDocument)

    enum CodingKeys: String, CodingKey { case kind }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .kind)
        switch kind {
        case "linear": self = .linear(try LinearModelDocument(from: decoder))
        case "trees": self = .trees(try TreeEnsembleDocument(from: decoder))
        case "stacked": self = .stacked(try StackedModelDocument(from: decoder))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown model kind '\(kind)'"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .linear(let model):
            try container.encode("linear", forKey: .kind)
            try model.encode(to: encoder)
        case .trees(let model):
            try container.encode("trees", forKey: .kind)
            try model.encode(to: encoder)
        case .stacked(let model):
            try container.encode("stacked", forKey: .kind)
            try model.encode(to: encoder)
        }
    }
}

/// logit = bias + Σ weight·(value − mean)/scale over named features + Σ weight·input over
/// the n-gram buckets present in the message, where the input is 1 or ln(1 + occurrences)
/// per `ngramScaling`.
public struct LinearModelDocument: Codable, Sendable, Equatable {
    public var bias: Double
    /// Feature name → weight.
    public var weights: [String: Double]
    /// Feature name → mean and scale used in training (absent: 0 and 1).
    public var means: [String: Double]?
    public var scales: [String: Double]?
    /// n-gram bucket (decimal string) → weight, applied when the bucket occurs.
    public var ngramWeights: [String: Double]?
    /// What an occurring n-gram's weight is multiplied by (absent: presence).
    public var ngramScaling: NGramScaling?

    public enum NGramScaling: String, Codable, Sendable {
        /// 1, however often the n-gram occurs.
        case presence
        /// ln(1 + occurrences): repetition counts, with diminishing weight.
        case logCount = "log_count"

        /// What an n-gram that occurred `occurrences` times contributes, times its weight.
        @inline(__always)
        public func input(occurrences: Float) -> Double {
            switch self {
            case .presence: 1
            case .logCount: log1p(Double(occurrences))
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case bias, weights, means, scales
        case ngramWeights = "ngram_weights"
        case ngramScaling = "ngram_scaling"
    }

    public init(bias: Double, weights: [String: Double], means: [String: Double]? = nil, scales: [String: Double]? = nil,
                ngramWeights: [String: Double]? = nil, ngramScaling: NGramScaling? = nil) {
        self.bias = bias
        self.weights = weights
        self.means = means
        self.scales = scales
        self.ngramWeights = ngramWeights
        self.ngramScaling = ngramScaling
    }
}

/// A text model feeding a tree ensemble: the linear `text` model's log-odds (usually from
/// n-grams alone) is one more input of the trees, which split on it under the name
/// `StackedModelDocument.textInput`. Trees see the text's verdict beside the structure,
/// links and headers instead of a fixed weight added to them.
public struct StackedModelDocument: Codable, Sendable, Equatable {
    public var text: LinearModelDocument
    public var trees: TreeEnsembleDocument

    /// The trees' name for the text model's log-odds.
    public static let textInput = "ngrams"

    public init(text: LinearModelDocument, trees: TreeEnsembleDocument) {
        self.text = text
        self.trees = trees
    }
}

/// Gradient-boosted trees: logit = base_score + Σ leaf value of each tree.
public struct TreeEnsembleDocument: Codable, Sendable, Equatable {
    public var baseScore: Double
    public var trees: [TreeDocument]

    enum CodingKeys: String, CodingKey {
        case trees
        case baseScore = "base_score"
    }

    public init(baseScore: Double, trees: [TreeDocument]) {
        self.baseScore = baseScore
        self.trees = trees
    }

    /// One ensemble whose log-odds are the mean of the given ones': every leaf and base
    /// score divided by their number.
    public init(averaging ensembles: [TreeEnsembleDocument]) {
        let share = 1 / Double(max(1, ensembles.count))
        baseScore = ensembles.reduce(0) { $0 + $1.baseScore } * share
        trees = ensembles.flatMap(\.trees).map { tree in
            var scaled = tree
            scaled.value = tree.value.map { $0 * share }
            return scaled
        }
    }
}

/// One tree as parallel node arrays; node 0 is the root. A node with an empty `feature` is a
/// leaf. At a split, `value < threshold` goes to `left`. Every node carries `value` (the mean
/// output below it), which explanations use to attribute the score to split features.
public struct TreeDocument: Codable, Sendable, Equatable {
    public var feature: [String]
    public var threshold: [Double]
    public var left: [Int]
    public var right: [Int]
    public var value: [Double]

    public init(feature: [String], threshold: [Double], left: [Int], right: [Int], value: [Double]) {
        self.feature = feature
        self.threshold = threshold
        self.left = left
        self.right = right
        self.value = value
    }
}
