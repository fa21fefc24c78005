import ArgumentParser
import Detection
import Foundation
import Training

/// `gannet train`: a model file from a labelled corpus.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train the inline and full models on a labelled corpus and calibrate their thresholds.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Manifest (path<TAB>label<TAB>source<TAB>split).")
    var manifest: String

    @Option(name: .long, help: "The manifest's split to train on.")
    var split = "train"

    @Option(name: .long, help: "Share of held-out ham allowed at or above the quarantine threshold.")
    var targetFpr = 0.001

    @OptionGroup var budgetOptions: HoldBudgetOptions

    @Flag(name: .customLong("confident-thresholds"), help: "Set thresholds that hold the false-positive rates with 95% confidence, not just on the training ham: fewer false positives, less recall.")
    var confidentThresholds = false

    @Option(name: .customLong("text-shared-minimum"), help: "An n-gram weighs in the text model only if at least this many ham and this many attack messages contain it (0: every n-gram).")
    var textSharedMinimum = LogisticTrainer(features: []).minimumMessagesPerClass

    @Option(name: .long, help: "Seed of the training order (training is deterministic for a seed).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Creation time written into the model (ISO 8601); now by default.")
    var created: String?

    @Option(name: .long, help: "Model file to write.")
    var out: String

    @Flag(name: .customLong("leave-one-source-out"), help: "First train without each ham source family in turn, score its ham and the test attacks, and print each fold's figures (several trainings; minutes).")
    var leaveOneSourceOut = false

    @Flag(name: .customLong("hold-worst-source"), help: "With --leave-one-source-out: raise the quarantine threshold until it holds 0.1% false positives on the worst held-out family too (costs recall; see the README).")
    var holdWorstSource = false

    func validate() throws {
        if holdWorstSource, !leaveOneSourceOut { throw ValidationError("--hold-worst-source needs --leave-one-source-out") }
    }

    func run() throws {
        let config = try options.load()
        let entries = try CorpusReader.manifest(manifest, split: split)
        var trainer = ModelTrainer(settings: config.features, inlineByteBudget: config.policy.inlineByteBudget)
        let budget = try budgetOptions.budget(config)
        trainer.targetFalsePositiveRate = budget?.falsePositiveRate ?? targetFpr
        trainer.seed = seed
        trainer.textMinimumMessagesPerClass = textSharedMinimum
        trainer.confidentThresholds = confidentThresholds
        let stamp = created ?? ISO8601DateFormatter().string(from: Date())
        let progress: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("train: \($0)\n".utf8)) }
        if leaveOneSourceOut {
            let all = try CorpusReader.manifest(manifest)
            var holdout = SourceHoldout(trainer: trainer, snapshot: try options.loadSnapshot(config))
            holdout.trainingSplit = split
            let folds = holdout.run(all, created: stamp, progress: progress)
            print(SourceHoldout.table(folds))
            if holdWorstSource { trainer.minimumQuarantineThreshold = folds.map(\.scoreThresholdAtOneInAThousand).max() ?? 0 }
        }
        let report = trainer.train(entries, created: stamp, progress: progress)
        try ModelFile.write(report.document, to: out)
        // The file must load exactly as the daemon would load it.
        _ = try ModelFile.load(out)
        print("""
            \(out): model \(report.document.id), \(report.trainingMessages) messages, \(report.skipped) skipped
              thresholds: quarantine ≥ \(report.document.thresholds.quarantine), accept < \(report.document.thresholds.accept)
              out of fold, inline: recall \(String(format: "%.4f", report.outOfFoldRecall)) (baselines off: \(String(format: "%.4f", report.outOfFoldContentOnlyRecall)); and without text: \(String(format: "%.4f", report.outOfFoldWithoutTextRecall))) at ham false-positive rate \(String(format: "%.4f", report.outOfFoldFalsePositiveRate)) (95% upper bound \(String(format: "%.4f", report.falsePositiveRateUpperBound)))
              full scorer: \(report.fullTrees) trees
            """)
        if let budget { print(HoldBudgetOptions.summary(budget, report, defaultRate: targetFpr)) }
    }
}
