import Detection
import Features
import Foundation
import Testing

/// Model files written by hand, with expected scores computed independently (Python's
/// math.exp on the hand-derived logits).
enum ModelFixtures {
    static func document(_ json: String) throws -> ModelDocument {
        try JSONDecoder().decode(ModelDocument.self, from: Data(json.utf8))
    }

    static func model(inline: String, full: String? = nil, schema: String = FeatureSchema.digest, thresholds: String = #"{"quarantine": 0.9, "accept": 0.3}"#) -> String {
        """
        {"format": "gannet-model", "format_version": 1, "id": "golden-1", "created": "2026-11-25T00:00:00Z",
         "feature_schema": "\(schema)", "training_data": "sha256:0000", "thresholds": \(thresholds),
         "inline": \(inline)\(full.map { ", \"full\": \($0)" } ?? "")}
        """
    }

    static let linear = """
        {"kind": "linear", "bias": -2.0,
         "weights": {"url_ip_host": 1.5, "phrase_credentials": 0.8},
         "means": {"phrase_credentials": 0.5}, "scales": {"phrase_credentials": 2.0},
         "ngram_weights": {"7": 0.25, "11": -0.5}}
        """

    static let trees = """
        {"kind": "trees", "base_score": -1.0, "trees": [
          {"feature": ["url_count", "", "html_forms", "", ""], "threshold": [3.5, 0, 0.5, 0, 0],
           "left": [1, -1, 3, -1, -1], "right": [2, -1, 4, -1, -1], "value": [0.0, -0.4, 0.6, 0.2, 1.1]},
          {"feature": [""], "threshold": [0], "left": [-1], "right": [-1], "value": [0.3]}
        ]}
        """

    /// Text log-odds: −1 + 2·ln(1 + occurrences of bucket 7); the trees split on them as `ngrams`.
    static let stacked = """
        {"kind": "stacked",
         "text": {"bias": -1.0, "weights": {}, "ngram_weights": {"7": 2.0}, "ngram_scaling": "log_count"},
         "trees": {"base_score": -0.5, "trees": [
           {"feature": ["ngrams", "", ""], "threshold": [1.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1], "value": [0.0, -1.0, 2.0]},
           {"feature": ["url_count", "", ""], "threshold": [3.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1], "value": [0.0, -0.2, 0.4]}
         ]}}
        """
}

@Suite struct CompiledModelTests {
    func vector(_ values: [Feature: Double], ngrams: [UInt32: Float] = [:]) -> FeatureVector {
        var vector = FeatureVector()
        for (feature, value) in values { vector[feature] = value }
        vector.ngrams = ngrams.sorted { $0.key < $1.key }.map { NGramCount(bucket: $0.key, count: $0.value) }
        return vector
    }

    @Test func linearScoresMatchHandComputedValues() throws {
        let model = try CompiledModel(ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.linear)))
        let score = model.scoreInline(vector([.urlIPHost: 2, .phraseCredentials: 3], ngrams: [7: 1, 11: 2, 99: 1]), explain: true)
        #expect(abs(score.logit - 1.75) < 1e-12)
        #expect(abs(score.probability - 0.8519528019683106) < 1e-9)
        #expect(score.contributions.map(\.name) == ["url_ip_host", "phrase_credentials", "ngrams"])
        #expect(abs(score.contributions.map(\.value).reduce(-2, +) - score.logit) < 1e-12)
        // Without a full model, the full pass uses the inline one.
        #expect(model.scoreFull(vector([.urlIPHost: 2, .phraseCredentials: 3], ngrams: [7: 1, 11: 2, 99: 1])).logit == score.logit)
    }

    @Test func treeScoresAndAttributionsMatchHandComputedValues() throws {
        let model = try CompiledModel(ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.linear, full: ModelFixtures.trees)))
        let phishy = model.scoreFull(vector([.urlCount: 5, .htmlForms: 1]), explain: true)
        #expect(abs(phishy.probability - 0.598687660112452) < 1e-9)
        let attributed = Dictionary(uniqueKeysWithValues: phishy.contributions.map { ($0.name, $0.value) })
        #expect(abs(attributed["url_count"]! - 0.6) < 1e-12)
        #expect(abs(attributed["html_forms"]! - 0.5) < 1e-12)
        #expect(abs(attributed["base"]! - -0.7) < 1e-12)
        let plain = model.scoreFull(vector([.urlCount: 2]))
        #expect(abs(plain.probability - 0.24973989440488234) < 1e-9)
        // A value equal to the threshold goes right.
        #expect(abs(model.scoreFull(vector([.urlCount: 3.5, .htmlForms: 0.5])).logit - 0.4) < 1e-12)
    }

    /// Trees are laid out breadth first when loaded; a file's own node order (here depth
    /// first) changes neither scores nor attributions.
    @Test func aDepthFirstTreeScoresAsWritten() throws {
        let depthFirst = #"{"kind": "trees", "base_score": -0.5, "trees": [{"feature": ["url_count", "html_forms", "", "", ""], "threshold": [3, 0.5, 0, 0, 0], "left": [1, 2, -1, -1, -1], "right": [4, 3, -1, -1, -1], "value": [0.15, 0.12, 0.1, 0.2, 0.3]}]}"#
        let model = try CompiledModel(ModelFixtures.document(ModelFixtures.model(inline: depthFirst)))
        #expect(abs(model.scoreInline(vector([.urlCount: 5])).logit - -0.2) < 1e-12)
        #expect(abs(model.scoreInline(vector([.urlCount: 1])).logit - -0.4) < 1e-12)
        let forms = model.scoreInline(vector([.urlCount: 1, .htmlForms: 1]), explain: true)
        #expect(abs(forms.logit - -0.3) < 1e-12)
        let attributed = Dictionary(uniqueKeysWithValues: forms.contributions.map { ($0.name, $0.value) })
        #expect(abs(attributed["url_count"]! - -0.03) < 1e-12 && abs(attributed["html_forms"]! - 0.08) < 1e-12 && abs(attributed["base"]! - -0.35) < 1e-12)
    }

    @Test func stackedTreesSplitOnTheTextModelsLogOdds() throws {
        let model = try CompiledModel(ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.stacked)))
        // Three occurrences: text −1 + 2·ln 4 = 1.7726 ≥ 1.5, so the first tree gives 2.0.
        let textual = model.scoreInline(vector([.urlCount: 5], ngrams: [7: 3]), explain: true)
        #expect(abs(textual.logit - 1.9) < 1e-12)
        let attributed = Dictionary(uniqueKeysWithValues: textual.contributions.map { ($0.name, $0.value) })
        #expect(attributed["ngrams"] == 2.0)
        #expect(attributed["url_count"] == 0.4)
        // One occurrence: −1 + 2·ln 2 = 0.386 < 1.5.
        #expect(abs(model.scoreInline(vector([.urlCount: 5], ngrams: [7: 1])).logit - -1.1) < 1e-12)
    }

    @Test func averagedEnsemblesScoreTheMeanLogOdds() throws {
        let one = try ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.trees))
        var other = one
        guard case .trees(var shifted) = one.inline else { throw ModelValidationError("fixture is not trees") }
        shifted.baseScore = 3
        shifted.trees[1].value = [-1.3]
        other.inline = .trees(shifted)
        guard case .trees(let first) = one.inline else { throw ModelValidationError("fixture is not trees") }
        var averaged = one
        averaged.inline = .trees(TreeEnsembleDocument(averaging: [first, shifted]))
        let sample = vector([.urlCount: 5, .htmlForms: 1])
        let expected = (try CompiledModel(one).scoreInline(sample).logit + CompiledModel(other).scoreInline(sample).logit) / 2
        #expect(abs(try CompiledModel(averaged).scoreInline(sample).logit - expected) < 1e-12)
    }

    @Test(arguments: [
        (ModelFixtures.model(inline: #"{"kind": "trees", "base_score": 0, "trees": [{"feature": ["ngrams", "", ""], "threshold": [1, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1], "value": [0, 0, 1]}]}"#), "unknown feature 'ngrams'"),
        (ModelFixtures.model(inline: ModelFixtures.linear, schema: "0123456789abcdef"), "trained for feature schema 0123456789abcdef"),
        (ModelFixtures.model(inline: #"{"kind": "linear", "bias": 0, "weights": {"no_such_feature": 1}}"#), "unknown feature 'no_such_feature'"),
        (ModelFixtures.model(inline: #"{"kind": "linear", "bias": 0, "weights": {"url_count": 1}, "scales": {"url_count": 0}}"#), "scale must be > 0"),
        (ModelFixtures.model(inline: #"{"kind": "linear", "bias": 0, "weights": {}, "ngram_weights": {"999999999": 1}}"#), "is not a plain decimal number below"),
        (ModelFixtures.model(inline: #"{"kind": "trees", "base_score": 0, "trees": [{"feature": ["url_count"], "threshold": [1], "left": [0], "right": [0], "value": [0]}]}"#), "is not a later node"),
        (ModelFixtures.model(inline: #"{"kind": "trees", "base_score": 0, "trees": [{"feature": ["url_count", ""], "threshold": [1, 0], "left": [1], "right": [1, -1], "value": [0, 1]}]}"#), "differ in length"),
        (ModelFixtures.model(inline: #"{"kind": "trees", "base_score": 0, "trees": [{"feature": ["url_count", ""], "threshold": [1, 0], "left": [1, -1], "right": [7, -1], "value": [0, 1]}]}"#), "child 7"),
        (ModelFixtures.model(inline: #"{"kind": "trees", "base_score": 0, "trees": [{"feature": ["url_count", ""], "threshold": [1, 0], "left": [1, -1], "right": [1, -1], "value": [0, 1]}]}"#), "node 1 is the child of two nodes"),
        (ModelFixtures.model(inline: ModelFixtures.linear, thresholds: #"{"quarantine": 0.2, "accept": 0.5}"#), "thresholds must satisfy"),
        (ModelFixtures.model(inline: #"{"kind": "forest", "bias": 0}"#), "unknown model kind"),
    ])
    func invalidModelsAreRefusedWithAReason(json: String, reason: String) {
        do {
            _ = try CompiledModel(ModelFixtures.document(json))
            Issue.record("accepted an invalid model")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
        }
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        var document = try ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.linear))
        document.inline = .linear(LinearModelDocument(bias: .nan, weights: [:]))
        #expect(throws: ModelValidationError.self) { try CompiledModel(document) }
        document.inline = .linear(LinearModelDocument(bias: 0, weights: ["url_count": .infinity]))
        #expect(throws: ModelValidationError.self) { try CompiledModel(document) }
        // Found by fuzzing: a leaf with children, which the compact form could not keep as written.
        document.inline = .trees(TreeEnsembleDocument(baseScore: 0, trees: [TreeDocument(feature: [""], threshold: [0], left: [-1], right: [-9_999_999_999], value: [1])]))
        #expect(throws: ModelValidationError.self) { try CompiledModel(document) }
        #expect(throws: ModelValidationError.self) { try CompactModelFile.encode(document) }
        // A bucket written two ways would be one bucket with two weights.
        for key in ["+7", "007", " 7", "7.0"] {
            document.inline = .linear(LinearModelDocument(bias: 0, weights: [:], ngramWeights: [key: 1, "8": 1]))
            #expect(throws: ModelValidationError.self) { try CompiledModel(document) }
        }
        // Finite numbers whose quotient is not: the coefficient scoring would use.
        document.inline = .linear(LinearModelDocument(bias: 0, weights: ["url_count": 1e308], scales: ["url_count": 1e-308]))
        #expect(throws: ModelValidationError.self) { try CompiledModel(document) }
        document.formatVersion = 2
        #expect(throws: ModelValidationError("model format version 2; this Gannet reads version 1")) { try CompiledModel(document) }
    }

    @Test func aDocumentSurvivesEncodingAndDecoding() throws {
        let document = try ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.linear, full: ModelFixtures.trees))
        let encoded = try JSONEncoder().encode(document)
        #expect(try JSONDecoder().decode(ModelDocument.self, from: encoded) == document)
    }
}
