import Crypto
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
    /// Thresholds that hold the rates with 95% confidence (`ThresholdCalibration.confidentThreshold`)
    /// rather than on the training ham alone: fewer false positives, less recall at the shipped
    /// thresholds.
    public var confidentThresholds = false
    /// A floor under the quarantine threshold, e.g. the score that held 0.1% false positives
    /// on the worst held-out source (`SourceHoldout`): thresholds chosen on mail of kinds the
    /// model never saw, not only on out-of-fold mail of kinds it did.
    public var minimumQuarantineThreshold = 0.0
    public var folds = 5
    public var seed: UInt64 = 1
    /// `LogisticTrainer.minimumMessagesPerClass` of every text model.
    public var textMinimumMessagesPerClass = LogisticTrainer(features: []).minimumMessagesPerClass
    /// Features the models may not use. By default: the cut flag (a property of the budget,
    /// not of the message); header artefacts that date a message rather than describe an
    /// attack, and message length — a
    /// model that learns the era of its training mail fails on today's ham; and marks of
    /// mailing-list traffic (list headers, rewritten envelopes, recipient counts), which is
    /// most of the public ham there is: a model that learns "ham comes through a list"
    /// quarantines a colleague's two-line note. And the behaviour features with no direction
    /// of suspicion (a recipient's volume and first-contact mix, a known display name): in a
    /// simulated tenant they mostly tell how long the store has been learning, and `gannet
    /// simulate` measured that models using them lose recall on injected impersonation at
    /// 0.1% false positives. And the marks of bulk mail (`bulkMarkers`). Rules and the
    /// bulk-mail policy may still use all of them.
    public var excludedFeatures: Set<Feature> = Self.bulkMarkers.union([
        .bodyCut, .receivedHops, .dateMissing, .dateInvalid, .dateFuture, .messageIDMissing, .messageIDDomainMismatch,
        .mailerPresent, .mailerScripted, .rawEightBitHeaders, .dkimSignaturePresent, .dkimAligned, .sizeBytes,
        .listUnsubscribe, .bulkPrecedence, .fromEnvelopeDomainMismatch, .fromReturnPathDomainMismatch, .recipientsCount,
        .textBytes, .recipientMessages, .recipientFirstContactShare, .displayNameKnown,
    ])

    /// Marks of bulk and commercial mail: tracking pixels, HTML without a plain part or with a
    /// generated one, hidden preview text, many links, tracking redirects, encoded subjects,
    /// prices, unsubscribe mechanisms, aligned sending infrastructure and consistent branding. Legitimate
    /// newsletters and notifications carry them as often as attacks, and the training ham
    /// (mailing lists) seldom does: a model would learn them as signs of attack, and the
    /// absence of a lowering one as suspicion. Left out, no combination of them can quarantine
    /// a message; `BulkMail` uses them to tag bulk mail instead.
    public static let bulkMarkers: Set<Feature> = [
        .trackingPixels, .htmlOnly, .textHTMLAgreement, .hiddenTextRatio, .zeroWidthCharacters, .urlCount, .urlDistinctDomains,
        .urlLong, .urlRedirectParameter, .partCount, .subjectEncoded, .textDigitRatio,
        .listUnsubscribeOneClick, .senderESP, .bounceAligned, .unsubscribeAligned, .urlUnsubscribe,
        .displayNameNamesSender, .phraseUnsubscribe,
    ]

    /// The tenant stream that gives each training message its behaviour features; nil
    /// leaves them at zero (content only). Each message then trains twice at half weight,
    /// with its behaviour features and with baselines off, so the model decides as well
    /// without baselines as a model that never saw them, however the text is dropped.
    public var tenantStream: TenantStream.Settings? = TenantStream.Settings()

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
        /// The same with baselines off (behaviour block zero).
        public let outOfFoldContentOnlyRecall: Double
        /// The same with baselines off and the text group removed.
        public let outOfFoldWithoutTextRecall: Double
        /// Share of ham whose out-of-fold inline score reaches it.
        public let outOfFoldFalsePositiveRate: Double
        /// The one-sided 95% upper confidence bound on the ham false-positive rate at the
        /// quarantine threshold, from the out-of-fold ham (`ThresholdCalibration.poissonUpperBound`).
        public let falsePositiveRateUpperBound: Double
        /// Trees over the full scorer's members.
        public let fullTrees: Int
        /// Out-of-fold inline scores of the ham (the higher with and without baselines) and of
        /// the attacks, for the recall at another false-positive rate.
        public let outOfFoldHam: [Double]
        public let outOfFoldAttacks: [Double]

        /// Out-of-fold recall at the threshold that holds `rate` of the ham.
        public func outOfFoldRecall(atFalsePositiveRate rate: Double) -> Double {
            ThresholdCalibration.recall(attackScores: outOfFoldAttacks, threshold: ThresholdCalibration.threshold(hamScores: outOfFoldHam, targetRate: rate))
        }
    }

    /// Every labelled entry's vectors, extracted once (on all cores) for one or more trainings.
    public func extract(_ entries: [CorpusEntry], progress: @Sendable (String) -> Void = { _ in }) -> ExtractedCorpus {
        let labelled = entries.filter { !$0.label.isEmpty }
        progress("extracting \(labelled.count) messages (inline and full passes)")
        let inlineBuilder = DatasetBuilder(settings: settings, pass: .inline(byteBudget: inlineByteBudget))
        let fullBuilder = DatasetBuilder(settings: settings, pass: .full)
        let results = Mutex([ExtractedCorpus.Message?](repeating: nil, count: labelled.count))
        DispatchQueue.concurrentPerform(iterations: labelled.count) { index in
            guard case .success(let bytes) = CorpusReader.read(labelled[index]) else { return }
            let attack = labelled[index].label != "ham"
            let message = ExtractedCorpus.Message(
                inline: TrainingExample(vector: inlineBuilder.vector(bytes), isAttack: attack, location: labelled[index].location),
                full: TrainingExample(vector: fullBuilder.vector(bytes), isAttack: attack, location: labelled[index].location),
                label: labelled[index].label, digest: Array(SHA256.hash(data: bytes)))
            results.withLock { $0[index] = message }
        }
        return ExtractedCorpus(entries: labelled, messages: results.withLock { $0 })
    }

    public func train(_ entries: [CorpusEntry], created: String, progress: @Sendable (String) -> Void = { _ in }) -> Report {
        train(extract(entries, progress: progress), created: created, progress: progress)
    }

    public func train(_ corpus: ExtractedCorpus, created: String, progress: @Sendable (String) -> Void = { _ in }) -> Report {
        let pairs = corpus.messages.compactMap { $0 }
        // Ham and attacks weigh the same in total: a message with no evidence either way
        // starts from even odds, not from the corpus's share of attacks.
        let attacks = pairs.filter(\.inline.isAttack).count, hamCount = pairs.count - attacks
        let hamWeight = hamCount == 0 ? 1 : Double(attacks) / Double(hamCount)
        func balanced(_ example: TrainingExample) -> TrainingExample {
            var weighted = example
            if !example.isAttack { weighted.weight = hamWeight }
            return weighted
        }
        let (inline, full) = withBehaviour(inline: pairs.map { balanced($0.inline) }, full: pairs.map { balanced($0.full) },
                                           labels: pairs.map(\.label), progress: progress)
        let fold = inline.map { Int(Self.stableHash($0.location) % UInt64(folds)) }
        let (inlineTraining, fullTraining) = tenantStream == nil ? (inline, full) : (Self.withBaselinesOffTwins(inline), Self.withBaselinesOffTwins(full))
        let trainingFold = tenantStream == nil ? fold : fold + fold

        let usable = Feature.allCases.filter { !excludedFeatures.contains($0) }
        let inlineFeatures = usable.filter { FeatureSchema.definitions[$0.rawValue].cost == .inline }
        progress("training \(folds) inline and \(folds) full models on \(pairs.count) messages, each without one fold")
        // Job 2k trains fold k's inline model, 2k+1 its full model; the last two train the
        // shipped inline and full text models on everything.
        let shippedText = Mutex([LinearModelDocument?](repeating: nil, count: 2))
        let trained = Mutex([(member: StackedTrainer.Result, outOfFold: [HeldOutScores])?](repeating: nil, count: 2 * folds))
        DispatchQueue.concurrentPerform(iterations: 2 * folds + 2) { job in
            let held = job / 2, examples = job % 2 == 0 ? inline : full, training = job % 2 == 0 ? inlineTraining : fullTraining
            guard held < folds else {
                var text = LogisticTrainer(features: [])
                text.seed = seed
                text.minimumMessagesPerClass = textMinimumMessagesPerClass
                let document = text.train(examples)
                shippedText.withLock { $0[job % 2] = document }
                return
            }
            var trainer = StackedTrainer(features: job % 2 == 0 ? inlineFeatures : usable)
            trainer.seed = seed &+ UInt64(held)
            trainer.textMinimumMessagesPerClass = textMinimumMessagesPerClass
            let member = trainer.train(training.indices.filter { trainingFold[$0] != held }.map { training[$0] },
                                       validation: training.indices.filter { trainingFold[$0] == held }.map { training[$0] })
            let scorer = Self.scorer(.stacked(member.document))
            // Each held-out message is scored as sent, with baselines off, and with baselines
            // off and without its text (how far the other groups carry on their own).
            let scores = examples.indices.filter { fold[$0] == held }.map { index in
                let vector = examples[index].vector
                return HeldOutScores(index: index, sent: scorer.scoreInline(vector).probability, baselinesOff: scorer.scoreInline(vector.baselinesOff).probability,
                                     withoutText: scorer.scoreInline(vector.baselinesOff.without(.text)).probability)
            }
            trained.withLock { $0[job] = (member, scores) }
        }
        let jobs = trained.withLock { $0 }.map { $0! }
        func outOfFold(_ pass: Int) -> (sent: [Double], baselinesOff: [Double], withoutText: [Double]) {
            var sent = [Double](repeating: 0, count: pairs.count), off = sent, withoutText = sent
            for job in stride(from: pass, to: jobs.count, by: 2) {
                for scores in jobs[job].outOfFold {
                    sent[scores.index] = scores.sent
                    off[scores.index] = scores.baselinesOff
                    withoutText[scores.index] = scores.withoutText
                }
            }
            return (sent, off, withoutText)
        }
        let inlineScores = outOfFold(0), fullScores = outOfFold(1)
        let isHam = inline.map { !$0.isAttack }
        // The thresholds must hold whether or not the daemon looks up baselines: each ham
        // counts with the higher of its two scores.
        func hamScores(_ scores: (sent: [Double], baselinesOff: [Double], withoutText: [Double])) -> [Double] {
            scores.sent.indices.filter { isHam[$0] }.map { max(scores.sent[$0], scores.baselinesOff[$0]) }
        }
        let inlineHam = hamScores(inlineScores)
        let calibrate = confidentThresholds ? ThresholdCalibration.confidentThreshold : ThresholdCalibration.threshold
        let quarantine = max(minimumQuarantineThreshold, calibrate(inlineHam, targetFalsePositiveRate))
        let accept = min(quarantine, calibrate(inlineHam, deferFalsePositiveRate))
        let fullQuarantine = max(minimumQuarantineThreshold, calibrate(hamScores(fullScores), targetFalsePositiveRate))
        func attackRecall(_ scores: [Double]) -> Double {
            ThresholdCalibration.recall(attackScores: scores.indices.filter { !isHam[$0] }.map { scores[$0] }, threshold: quarantine)
        }

        let texts = shippedText.withLock { $0 }.map { $0! }
        func shipped(_ pass: Int) -> SubModelDocument {
            .stacked(StackedModelDocument(text: texts[pass],
                                          trees: TreeEnsembleDocument(averaging: stride(from: pass, to: jobs.count, by: 2).map { jobs[$0].member.document.trees })))
        }
        let digest = Self.trainingDigest(pairs.map { ($0.digest, $0.label) })
        var document = ModelDocument(
            id: "", created: created, featureSchema: FeatureSchema.digest,
            trainingData: "sha256:\(digest)", thresholds: .init(quarantine: quarantine, accept: accept, fullQuarantine: fullQuarantine),
            inline: shipped(0), full: shipped(1)
        )
        // Date, training data and the model itself: retrained with other settings on the same
        // data, the verdict headers still tell the two models apart.
        document.id = "gannet-\(created.prefix(10).filter { $0 != "-" })-\(digest.prefix(8))-\(Self.contentDigest(document).prefix(8))"
        let hamHeld = inlineHam.filter { $0 >= quarantine }.count
        let falsePositives = inlineHam.isEmpty ? 0 : Double(hamHeld) / Double(inlineHam.count)
        return Report(document: document, trainingMessages: pairs.count, skipped: corpus.messages.count - pairs.count,
                      outOfFoldRecall: attackRecall(inlineScores.sent), outOfFoldContentOnlyRecall: attackRecall(inlineScores.baselinesOff),
                      outOfFoldWithoutTextRecall: attackRecall(inlineScores.withoutText),
                      outOfFoldFalsePositiveRate: falsePositives,
                      falsePositiveRateUpperBound: inlineHam.isEmpty ? 1 : ThresholdCalibration.poissonUpperBound(hamHeld) / Double(inlineHam.count),
                      fullTrees: stride(from: 1, to: jobs.count, by: 2).reduce(0) { $0 + jobs[$1].member.treesKept },
                      outOfFoldHam: inlineHam, outOfFoldAttacks: inlineScores.sent.indices.filter { !isHam[$0] }.map { inlineScores.sent[$0] })
    }

    /// The examples with the behaviour features the tenant stream gives them.
    func withBehaviour(inline: [TrainingExample], full: [TrainingExample], labels: [String],
                       progress: @Sendable (String) -> Void) -> (inline: [TrainingExample], full: [TrainingExample]) {
        guard let tenantStream else { return (inline, full) }
        progress("playing a \(tenantStream.days)-day tenant stream through a baselines store for the behaviour features")
        let signals = TenantStream(labels: labels, settings: tenantStream).signals()
        var inline = inline, full = full
        for index in inline.indices {
            guard let answer = signals[.corpus(index)] else { continue }
            answer.write(into: &inline[index].vector)
            answer.write(into: &full[index].vector)
        }
        return (inline, full)
    }

    /// Every example at half weight, then each again with baselines off (in the same order,
    /// so a twin's fold is its original's).
    static func withBaselinesOffTwins(_ examples: [TrainingExample]) -> [TrainingExample] {
        func halved(_ example: TrainingExample, _ vector: FeatureVector) -> TrainingExample {
            TrainingExample(vector: vector, isAttack: example.isAttack, location: example.location, weight: example.weight / 2)
        }
        return examples.map { halved($0, $0.vector) } + examples.map { halved($0, $0.vector.baselinesOff) }
    }

    /// One held-out message's out-of-fold scores.
    struct HeldOutScores: Sendable {
        let index: Int
        let sent: Double
        let baselinesOff: Double
        let withoutText: Double
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
            hasher.update(data: message.digest)
            hasher.update(data: Array("\t\(message.label)\n".utf8))
        }
        return hasher.finalize().hex
    }

    /// SHA-256 of the document as written (sorted keys), id left empty.
    static func contentDigest(_ document: ModelDocument) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(data: (try? encoder.encode(document)) ?? Data()).hex
    }

    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
