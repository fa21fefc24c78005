import Detection
import Features
import Foundation
import MailParsing
import Synchronization

/// From a labelled corpus to a model file: extracts the inline and full vectors of every
/// message and splits them into five folds (by a hash of the path). For each fold it trains
/// an inline model (over inline-cheap features) and a full model (over all features) on the
/// other four — each a text model stacked under boosted trees that stop early on the fold —
/// and scores the fold with them. Each shipped scorer is a text model trained on everything
/// under the mean of the five folds' trees; the thresholds are calibrated on every ham
/// message's out-of-fold score, so they are set on mail the scoring model never saw, over
/// the whole corpus rather than a fifth of it.
public struct ModelTrainer: Sendable {
    public var settings: FeatureSettings
    public var inlineByteBudget: Int
    /// Share of ham that may score at or above the quarantine threshold.
    public var targetFalsePositiveRate = 0.001
    /// Share of ham that may score at or above the accept threshold (the rest of the band
    /// between the two is deferred to full scoring).
    public var deferFalsePositiveRate = 0.01
    public var folds = 5
    public var seed: UInt64 = 1
    /// Features the models may not use. By default: the cut flag (a property of the budget,
    /// not of the message); header artefacts that date a message rather than describe an
    /// attack, and message length — a
    /// model that learns the era of its training mail fails on today's ham; and marks of
    /// mailing-list traffic (list headers, rewritten envelopes, recipient counts), which is
    /// most of the public ham there is: a model that learns "ham comes through a list"
    /// quarantines a colleague's two-line note. Rules may still use all of them.
    public var excludedFeatures: Set<Feature> = [
        .bodyCut, .receivedHops, .dateMissing, .dateInvalid, .dateFuture, .messageIDMissing, .messageIDDomainMismatch,
        .mailerPresent, .mailerScripted, .rawEightBitHeaders, .dkimSignaturePresent, .dkimAligned, .sizeBytes,
        .listUnsubscribe, .bulkPrecedence, .fromEnvelopeDomainMismatch, .fromReturnPathDomainMismatch, .recipientsCount,
        .textBytes,
    ]

    public init(settings: FeatureSettings, inlineByteBudget: Int) {
        self.settings = settings
        self.inlineByteBudget = inlineByteBudget
    }

    public struct Report: Sendable {
        public let document: ModelDocument
        public let trainingMessages: Int
        public let skipped: Int
        /// Share of attacks whose out-of-fold inline score reaches the quarantine threshold.
        public let outOfFoldRecall: Double
        /// Share of ham whose out-of-fold inline score reaches it.
        public let outOfFoldFalsePositiveRate: Double
        /// Trees over the full scorer's members.
        public let fullTrees: Int
    }

    public func train(_ entries: [CorpusEntry], created: String, progress: @Sendable (String) -> Void = { _ in }) -> Report {
        let labelled = entries.filter { !$0.label.isEmpty }
        progress("extracting \(labelled.count) messages (inline and full passes)")
        let inlineBuilder = DatasetBuilder(settings: settings, pass: .inline(byteBudget: inlineByteBudget))
        let fullBuilder = DatasetBuilder(settings: settings, pass: .full)
        let results = Mutex([(inline: TrainingExample, full: TrainingExample, digest: [UInt8])?](repeating: nil, count: labelled.count))
        DispatchQueue.concurrentPerform(iterations: labelled.count) { index in
            guard case .success(let bytes) = CorpusReader.read(labelled[index]) else { return }
            let attack = labelled[index].label != "ham"
            var hasher = SHA256()
            hasher.update(bytes)
            let pair = (TrainingExample(vector: inlineBuilder.vector(bytes), isAttack: attack, location: labelled[index].location),
                        TrainingExample(vector: fullBuilder.vector(bytes), isAttack: attack, location: labelled[index].location), hasher.finalize())
            results.withLock { $0[index] = pair }
        }
        let extracted = results.withLock { $0 }
        let pairs = extracted.compactMap { $0 }
        // Ham and attacks weigh the same in total: a message with no evidence either way
        // starts from even odds, not from the corpus's share of attacks.
        let attacks = pairs.filter(\.inline.isAttack).count, hamCount = pairs.count - attacks
        let hamWeight = hamCount == 0 ? 1 : Double(attacks) / Double(hamCount)
        func balanced(_ example: TrainingExample) -> TrainingExample {
            var weighted = example
            if !example.isAttack { weighted.weight = hamWeight }
            return weighted
        }
        let inline = pairs.map { balanced($0.inline) }, full = pairs.map { balanced($0.full) }
        let fold = inline.map { Int(Self.stableHash($0.location) % UInt64(folds)) }

        let usable = Feature.allCases.filter { !excludedFeatures.contains($0) }
        let inlineFeatures = usable.filter { FeatureSchema.definitions[$0.rawValue].cost == .inline }
        progress("training \(folds) inline and \(folds) full models on \(pairs.count) messages, each without one fold")
        // Job 2k trains fold k's inline model, 2k+1 its full model; the last two train the
        // shipped inline and full text models on everything.
        let shippedText = Mutex([LinearModelDocument?](repeating: nil, count: 2))
        let trained = Mutex([(member: StackedTrainer.Result, outOfFold: [(Int, Double)])?](repeating: nil, count: 2 * folds))
        DispatchQueue.concurrentPerform(iterations: 2 * folds + 2) { job in
            let held = job / 2, examples = job % 2 == 0 ? inline : full
            guard held < folds else {
                var text = LogisticTrainer(features: [])
                text.seed = seed
                let document = text.train(examples)
                shippedText.withLock { $0[job % 2] = document }
                return
            }
            var trainer = StackedTrainer(features: job % 2 == 0 ? inlineFeatures : usable)
            trainer.seed = seed &+ UInt64(held)
            let member = trainer.train(examples.indices.filter { fold[$0] != held }.map { examples[$0] },
                                       validation: examples.indices.filter { fold[$0] == held }.map { examples[$0] })
            let scorer = Self.scorer(.stacked(member.document))
            let scores = examples.indices.filter { fold[$0] == held }.map { ($0, scorer.scoreInline(examples[$0].vector).probability) }
            trained.withLock { $0[job] = (member, scores) }
        }
        let jobs = trained.withLock { $0 }.map { $0! }
        func outOfFold(_ pass: Int) -> [Double] {
            var scores = [Double](repeating: 0, count: pairs.count)
            for job in stride(from: pass, to: jobs.count, by: 2) { for (index, score) in jobs[job].outOfFold { scores[index] = score } }
            return scores
        }
        let inlineScores = outOfFold(0), fullScores = outOfFold(1)
        let isHam = inline.map { !$0.isAttack }
        let inlineHam = inlineScores.indices.filter { isHam[$0] }.map { inlineScores[$0] }
        let inlineAttacks = inlineScores.indices.filter { !isHam[$0] }.map { inlineScores[$0] }
        let quarantine = ThresholdCalibration.threshold(hamScores: inlineHam, targetRate: targetFalsePositiveRate)
        let accept = min(quarantine, ThresholdCalibration.threshold(hamScores: inlineHam, targetRate: deferFalsePositiveRate))
        let fullHam = fullScores.indices.filter { isHam[$0] }.map { fullScores[$0] }
        let fullQuarantine = ThresholdCalibration.threshold(hamScores: fullHam, targetRate: targetFalsePositiveRate)

        let texts = shippedText.withLock { $0 }.map { $0! }
        func shipped(_ pass: Int) -> SubModelDocument {
            .stacked(StackedModelDocument(text: texts[pass],
                                          trees: TreeEnsembleDocument(averaging: stride(from: pass, to: jobs.count, by: 2).map { jobs[$0].member.document.trees })))
        }
        let digest = Self.trainingDigest(zip(labelled, extracted).compactMap { entry, result in result.map { ($0.digest, entry.label) } })
        var document = ModelDocument(
            id: "", created: created, featureSchema: FeatureSchema.digest,
            trainingData: "sha256:\(digest)", thresholds: .init(quarantine: quarantine, accept: accept, fullQuarantine: fullQuarantine),
            inline: shipped(0), full: shipped(1)
        )
        // Date, training data and the model itself: retrained with other settings on the same
        // data, the verdict headers still tell the two models apart.
        document.id = "gannet-\(created.prefix(10).filter { $0 != "-" })-\(digest.prefix(8))-\(Self.contentDigest(document).prefix(8))"
        let falsePositives = inlineHam.isEmpty ? 0 : Double(inlineHam.filter { $0 >= quarantine }.count) / Double(inlineHam.count)
        return Report(document: document, trainingMessages: pairs.count, skipped: labelled.count - pairs.count,
                      outOfFoldRecall: ThresholdCalibration.recall(attackScores: inlineAttacks, threshold: quarantine),
                      outOfFoldFalsePositiveRate: falsePositives,
                      fullTrees: stride(from: 1, to: jobs.count, by: 2).reduce(0) { $0 + jobs[$1].member.treesKept })
    }

    static func scorer(_ sub: SubModelDocument) -> CompiledModel {
        try! CompiledModel(ModelDocument(id: "fold", created: "", featureSchema: FeatureSchema.digest, trainingData: "",
                                         thresholds: .init(quarantine: 1, accept: 1), inline: sub))
    }

    /// SHA-256 over every message's content digest and label, in order: names the training
    /// data wherever the corpus lies.
    static func trainingDigest(_ messages: [(digest: [UInt8], label: String)]) -> String {
        var hasher = SHA256()
        for message in messages {
            hasher.update(message.digest)
            hasher.update(Array("\t\(message.label)\n".utf8))
        }
        return SHA256.hex(hasher.finalize())
    }

    /// SHA-256 of the document as written (sorted keys), id left empty.
    static func contentDigest(_ document: ModelDocument) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var hasher = SHA256()
        hasher.update([UInt8]((try? encoder.encode(document)) ?? Data()))
        return SHA256.hex(hasher.finalize())
    }

    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
