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

    @Flag(name: .customLong("confident-thresholds"), help: "Set thresholds that hold the false-positive rates with 95% confidence, not just on the training ham: fewer false positives, less recall.")
    var confidentThresholds = false

    @Option(name: .long, help: "Seed of the training order (training is deterministic for a seed).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Creation time written into the model (ISO 8601); now by default.")
    var created: String?

    @Option(name: .long, help: "Model file to write.")
    var out: String

    func run() throws {
        let config = try options.load()
        let entries = try CorpusReader.manifest(manifest, split: split)
        var trainer = ModelTrainer(settings: config.features, inlineByteBudget: config.policy.inlineByteBudget)
        trainer.targetFalsePositiveRate = targetFpr
        trainer.seed = seed
        trainer.confidentThresholds = confidentThresholds
        let stamp = created ?? ISO8601DateFormatter().string(from: Date())
        let report = trainer.train(entries, created: stamp) { FileHandle.standardError.write(Data("train: \($0)\n".utf8)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(report.document).write(to: URL(fileURLWithPath: out), options: .atomic)
        // The file must load exactly as the daemon would load it.
        _ = try CompiledModel(JSONDecoder().decode(ModelDocument.self, from: Data(contentsOf: URL(fileURLWithPath: out))))
        print("""
            \(out): model \(report.document.id), \(report.trainingMessages) messages, \(report.skipped) skipped
              thresholds: quarantine ≥ \(report.document.thresholds.quarantine), accept < \(report.document.thresholds.accept)
              out of fold, inline: recall \(String(format: "%.4f", report.outOfFoldRecall)) (baselines off: \(String(format: "%.4f", report.outOfFoldContentOnlyRecall)); and without text: \(String(format: "%.4f", report.outOfFoldWithoutTextRecall))) at ham false-positive rate \(String(format: "%.4f", report.outOfFoldFalsePositiveRate))
              full scorer: \(report.fullTrees) trees
            """)
    }
}
