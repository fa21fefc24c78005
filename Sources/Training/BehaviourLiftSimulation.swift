import Baselines
import Detection
import Features
import Foundation

/// What behaviour features add to content at the same false-positive rate. Trains a content
/// model (behaviour excluded) and a content + behaviour model on the train split's tenant
/// stream, and scores both on the test split's stream (another seed), into which generated
/// payment-fraud attacks without links are injected. Thresholds are set on the test stream's
/// genuine mail, as `EvaluationMetrics` does; the behaviour model is also scored with
/// baselines off.
public struct BehaviourLiftSimulation: Sendable {
    public var trainer: ModelTrainer
    public var days = 120
    public var seed: UInt64 = 2026
    public var falsePositiveRates = [0.001, 0.01]

    public init(trainer: ModelTrainer) {
        self.trainer = trainer
    }

    /// One test message: its group ("corpus phish", an injected kind…) and vectors, without
    /// and with its signals.
    struct ScoredMessage {
        let group: String
        let isAttack: Bool
        let inline: FeatureVector
        let full: FeatureVector
        let signals: BaselineSignals
    }

    public func run(_ entries: [CorpusEntry], progress: @Sendable (String) -> Void = { _ in }) -> BehaviourLiftReport {
        var withBehaviour = trainer
        withBehaviour.tenantStream = streamSettings(seed: seed, injecting: false)
        var contentOnly = trainer
        contentOnly.tenantStream = nil
        contentOnly.excludedFeatures.formUnion(Feature.behaviour)

        let training = trainer.extract(entries.filter { $0.split == "train" }, progress: progress)
        progress("training the content-only model")
        let contentModel = Self.compiled(contentOnly.train(training, created: "simulation", progress: progress))
        progress("training the content + behaviour model")
        let behaviourModel = Self.compiled(withBehaviour.train(training, created: "simulation", progress: progress))

        let messages = testMessages(entries.filter { $0.split == "test" }, progress: progress)
        let genuine = messages.filter { !$0.isAttack }
        let groups = ["all attacks"] + Array(Set(messages.filter(\.isAttack).map(\.group))).sorted()
        func scores(_ model: CompiledModel, baselines: Bool) -> [Double] {
            messages.map { message in
                var inline = message.inline, full = message.full
                if baselines {
                    message.signals.write(into: &inline)
                    message.signals.write(into: &full)
                }
                return Self.decisionScore(model, inline: inline, full: full)
            }
        }
        let columns = [scores(contentModel, baselines: false), scores(behaviourModel, baselines: true), scores(behaviourModel, baselines: false)]
        let rates = falsePositiveRates.map { rate in
            let thresholds = columns.map { column in
                ThresholdCalibration.threshold(hamScores: messages.indices.filter { !messages[$0].isAttack }.map { column[$0] }, targetRate: rate)
            }
            let rows = groups.map { group in
                let members = messages.indices.filter { messages[$0].isAttack && (group == "all attacks" || messages[$0].group == group) }
                let recalls = zip(columns, thresholds).map { column, threshold in
                    ThresholdCalibration.recall(attackScores: members.map { column[$0] }, threshold: threshold)
                }
                return BehaviourLiftReport.Row(group: group, messages: members.count, contentOnly: recalls[0], withBehaviour: recalls[1],
                                               withBehaviourBaselinesOff: recalls[2])
            }
            return BehaviourLiftReport.Rate(falsePositiveRate: rate, rows: rows)
        }
        return BehaviourLiftReport(days: days, seed: seed, trainingMessages: training.messages.compactMap { $0 }.count,
                                   genuineTestMessages: genuine.count, rates: rates)
    }

    func streamSettings(seed: UInt64, injecting: Bool) -> TenantStream.Settings {
        var settings = trainer.tenantStream ?? TenantStream.Settings()
        settings.days = days
        settings.seed = seed
        settings.injectAttacksFromDay = injecting ? min(60, days / 2) : nil
        return settings
    }

    /// The test split's messages and the injected attacks, each with the signals its place
    /// in the test stream gives it.
    func testMessages(_ entries: [CorpusEntry], progress: @Sendable (String) -> Void) -> [ScoredMessage] {
        let corpus = trainer.extract(entries, progress: progress).messages.compactMap { $0 }
        let stream = TenantStream(labels: corpus.map(\.label), settings: streamSettings(seed: seed &+ 1, injecting: true))
        progress("playing the test stream: \(corpus.count) corpus messages, \(stream.injected.count) injected attacks")
        let signals = stream.signals()
        var messages = corpus.indices.map { index in
            ScoredMessage(group: "corpus \(corpus[index].label)", isAttack: corpus[index].inline.isAttack, inline: corpus[index].inline.vector,
                          full: corpus[index].full.vector, signals: signals[.corpus(index)] ?? BaselineSignals())
        }
        let inlineBuilder = DatasetBuilder(settings: trainer.settings, pass: .inline(byteBudget: trainer.inlineByteBudget))
        let fullBuilder = DatasetBuilder(settings: trainer.settings, pass: .full)
        for event in stream.events {
            guard case .injected(let index) = event.content else { continue }
            let bytes = stream.injected[index]
            messages.append(ScoredMessage(group: event.kind.rawValue, isAttack: true, inline: inlineBuilder.vector(bytes),
                                          full: fullBuilder.vector(bytes), signals: signals[event.content] ?? BaselineSignals()))
        }
        return messages
    }

    /// The score the daemon decides by (rules and lists aside): the inline scorer's, or the
    /// full scorer's when the inline score falls in the deferral band.
    static func decisionScore(_ model: CompiledModel, inline: FeatureVector, full: FeatureVector) -> Double {
        let score = model.scoreInline(inline).probability
        guard score >= model.thresholds.accept, score < model.thresholds.quarantine else { return score }
        return model.scoreFull(full).probability
    }

    static func compiled(_ report: ModelTrainer.Report) -> CompiledModel {
        // A model this process just trained against its own schema always compiles.
        try! CompiledModel(report.document)
    }
}
