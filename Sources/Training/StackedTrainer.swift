import Detection
import Features
import Foundation
import Synchronization

/// Trains a stacked model: a text model (logistic regression over hashed n-grams) whose
/// log-odds are one more input of boosted trees over the dense features. The trees learn
/// from out-of-fold text scores, given by text models that never saw the message, so they
/// trust the text only as far as it holds on mail it has not seen. The trees are monotone
/// in the text score and in every feature `SuspicionDirection` constrains.
public struct StackedTrainer: Sendable {
    public var features: [Feature]
    public var folds = 5
    public var seed: UInt64 = 1
    /// Share (in percent) of training messages whose text score the trees do not see.
    public var textDropoutPercent: UInt64 = 30
    /// `LogisticTrainer.minimumMessagesPerClass` of the text model.
    public var textMinimumMessagesPerClass = LogisticTrainer(features: []).minimumMessagesPerClass

    public init(features: [Feature]) {
        self.features = features
    }

    public struct Result: Sendable {
        public let document: StackedModelDocument
        public let treesKept: Int
    }

    public func train(_ examples: [TrainingExample], validation: [TrainingExample]) -> Result {
        let textTrainer = {
            var trainer = LogisticTrainer(features: [])
            trainer.seed = seed
            trainer.minimumMessagesPerClass = textMinimumMessagesPerClass
            return trainer
        }()
        let fold = examples.map { Int(ModelTrainer.stableHash($0.location) / 7 % UInt64(folds)) }
        let outOfFold = Mutex([Double](repeating: 0, count: examples.count))
        let whole = Mutex<LinearModelDocument?>(nil)
        // The last part trains on everything: the text model that ships.
        DispatchQueue.concurrentPerform(iterations: folds + 1) { part in
            guard part < folds else {
                let text = textTrainer.train(examples)
                whole.withLock { $0 = text }
                return
            }
            let model = ModelTrainer.scorer(.linear(textTrainer.train(examples.indices.filter { fold[$0] != part }.map { examples[$0] })))
            let scores = examples.indices.filter { fold[$0] == part }.map { ($0, model.scoreInline(examples[$0].vector).logit) }
            outOfFold.withLock { values in for (index, score) in scores { values[index] = score } }
        }
        let text = whole.withLock { $0 }!
        let textModel = ModelTrainer.scorer(.linear(text))
        // Some messages show the trees only the text score of an empty message, so they also
        // learn what links, headers, attachments and structure say without the words.
        var treeText = outOfFold.withLock { $0 }
        let silent = ModelTrainer.scorer(.linear(text)).scoreInline(FeatureVector()).logit
        for index in examples.indices where ModelTrainer.stableHash(examples[index].location) / 35 % 100 < textDropoutPercent { treeText[index] = silent }
        var treeTrainer = BoostedTreesTrainer(features: features)
        treeTrainer.monotone = SuspicionDirection.monotone(features)
        let trees = treeTrainer.train(
            examples, validation: validation,
            extra: .init(name: StackedModelDocument.textInput, train: treeText,
                         validation: validation.map { textModel.scoreInline($0.vector).logit }, direction: 1)
        )
        return Result(document: StackedModelDocument(text: text, trees: trees.document), treesKept: trees.roundsKept)
    }
}
