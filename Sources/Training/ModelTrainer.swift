import Detection
import Features
import Foundation
import MailParsing
import Synchronization

/// From a labelled corpus to a model file: extracts the inline and full vectors of every
/// message, holds a fifth out for validation, trains the inline model (logistic regression
/// over inline-cheap features and hashed n-grams) and the full model (boosted trees over all
/// features), and calibrates the thresholds on the held-out ham.
public struct ModelTrainer: Sendable {
    public var settings: FeatureSettings
    public var inlineByteBudget: Int
    /// Share of held-out ham that may score at or above the quarantine threshold.
    public var targetFalsePositiveRate = 0.001
    /// Share of held-out ham that may score at or above the accept threshold (the rest of
    /// the band between the two is deferred to full scoring).
    public var deferFalsePositiveRate = 0.01
    public var seed: UInt64 = 1
    /// Features the models may not use. By default: the cut flag (a property of the budget,
    /// not of the message) and header artefacts that date a message rather than describe an
    /// attack — a model that learns the era of its training mail fails on today's ham.
    public var excludedFeatures: Set<Feature> = [
        .bodyCut, .receivedHops, .dateMissing, .dateInvalid, .dateFuture, .messageIDMissing, .messageIDDomainMismatch,
        .mailerPresent, .mailerScripted, .rawEightBitHeaders, .dkimSignaturePresent, .dkimAligned, .sizeBytes,
    ]

    public init(settings: FeatureSettings, inlineByteBudget: Int) {
        self.settings = settings
        self.inlineByteBudget = inlineByteBudget
    }

    public struct Report: Sendable {
        public let document: ModelDocument
        public let trainingMessages: Int
        public let validationMessages: Int
        public let skipped: Int
        public let validationRecall: Double
        public let validationFalsePositiveRate: Double
        public let treesKept: Int
    }

    public func train(_ entries: [CorpusEntry], created: String, progress: @Sendable (String) -> Void = { _ in }) -> Report {
        let labelled = entries.filter { !$0.label.isEmpty }
        progress("extracting \(labelled.count) messages (inline and full passes)")
        let inlineBuilder = DatasetBuilder(settings: settings, pass: .inline(byteBudget: inlineByteBudget))
        let fullBuilder = DatasetBuilder(settings: settings, pass: .full)
        var inline = [TrainingExample?](repeating: nil, count: labelled.count)
        var full = [TrainingExample?](repeating: nil, count: labelled.count)
        let results = Mutex([(TrainingExample, TrainingExample)?](repeating: nil, count: labelled.count))
        DispatchQueue.concurrentPerform(iterations: labelled.count) { index in
            guard case .success(let bytes) = CorpusReader.read(labelled[index]) else { return }
            let attack = labelled[index].label != "ham"
            let pair = (TrainingExample(vector: inlineBuilder.vector(bytes), isAttack: attack, location: labelled[index].location),
                        TrainingExample(vector: fullBuilder.vector(bytes), isAttack: attack, location: labelled[index].location))
            results.withLock { $0[index] = pair }
        }
        for (index, pair) in results.withLock({ $0 }).enumerated() {
            inline[index] = pair?.0
            full[index] = pair?.1
        }
        let skipped = inline.filter { $0 == nil }.count
        // A fixed fifth of the messages, chosen by a hash of the path, is held out.
        let heldOut = labelled.map { Self.stableHash($0.location) % 5 == 0 }
        func split(_ examples: [TrainingExample?]) -> (train: [TrainingExample], validation: [TrainingExample]) {
            var train: [TrainingExample] = [], validation: [TrainingExample] = []
            for (index, example) in examples.enumerated() {
                guard let example else { continue }
                if heldOut[index] { validation.append(example) } else { train.append(example) }
            }
            return (train, validation)
        }
        let (inlineTrain, inlineValidation) = split(inline)
        let (fullTrain, fullValidation) = split(full)

        progress("training the inline model on \(inlineTrain.count) messages")
        let usable = Feature.allCases.filter { !excludedFeatures.contains($0) }
        var logistic = LogisticTrainer(features: usable.filter { FeatureSchema.definitions[$0.rawValue].cost == .inline })
        logistic.seed = seed
        let inlineModel = logistic.train(inlineTrain)
        progress("training the full model")
        let trees = BoostedTreesTrainer(features: usable).train(fullTrain, validation: fullValidation)

        // Each scorer gets its own quarantine threshold from the held-out ham: the inline model
        // decides most messages, the full model the ones the inline pass defers.
        let provisional = ModelDocument(id: "calibrating", created: created, featureSchema: FeatureSchema.digest, trainingData: "",
                                        thresholds: .init(quarantine: 1, accept: 1), inline: .linear(inlineModel), full: .trees(trees.document))
        let compiled = try! CompiledModel(provisional)
        let scores = inlineValidation.map { compiled.scoreInline($0.vector).probability }
        let hamScores = zip(inlineValidation, scores).filter { !$0.0.isAttack }.map(\.1)
        let attackScores = zip(inlineValidation, scores).filter { $0.0.isAttack }.map(\.1)
        let quarantine = ThresholdCalibration.threshold(hamScores: hamScores, targetRate: targetFalsePositiveRate)
        let accept = min(quarantine, ThresholdCalibration.threshold(hamScores: hamScores, targetRate: deferFalsePositiveRate))
        let fullHam = fullValidation.filter { !$0.isAttack }.map { compiled.scoreFull($0.vector).probability }
        let fullQuarantine = ThresholdCalibration.threshold(hamScores: fullHam, targetRate: targetFalsePositiveRate)
        let digest = Self.trainingDigest(labelled)
        let document = ModelDocument(
            id: "gannet-\(created.prefix(10).filter { $0 != "-" })-\(digest.prefix(8))-s\(seed)", created: created, featureSchema: FeatureSchema.digest,
            trainingData: "sha256:\(digest)", thresholds: .init(quarantine: quarantine, accept: accept, fullQuarantine: fullQuarantine),
            inline: .linear(inlineModel), full: .trees(trees.document)
        )
        let falsePositives = hamScores.isEmpty ? 0 : Double(hamScores.filter { $0 >= quarantine }.count) / Double(hamScores.count)
        return Report(document: document, trainingMessages: inlineTrain.count, validationMessages: inlineValidation.count, skipped: skipped,
                      validationRecall: ThresholdCalibration.recall(attackScores: attackScores, threshold: quarantine),
                      validationFalsePositiveRate: falsePositives, treesKept: trees.roundsKept)
    }

    /// SHA-256 over every message's location and label, in order: names the training data.
    static func trainingDigest(_ entries: [CorpusEntry]) -> String {
        var hasher = SHA256()
        for entry in entries { hasher.update(Array("\(entry.location)\t\(entry.label)\n".utf8)) }
        return SHA256.hex(hasher.finalize())
    }

    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
