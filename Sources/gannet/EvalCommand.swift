import ArgumentParser
import Foundation
import Training

/// `gannet eval`: how a model (with the configured rules and lists) does on a labelled corpus.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate a model on a labelled corpus; write report.json and report.html.")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var workers: JobsOption

    @Option(name: .long, help: "Model file, overriding detection.model.")
    var model: String?

    @Option(name: .long, help: "Manifest (path<TAB>label<TAB>source<TAB>split).")
    var manifest: String

    @Option(name: .long, help: "The manifest's splits to evaluate on, comma-separated (e.g. test,validation).")
    var split = "test"

    @Flag(name: .customLong("leave-one-source-out"), help: "Also train without each ham source family of the train split in turn and score its ham (several trainings; minutes).")
    var leaveOneSourceOut = false

    @Option(name: .long, help: "Directory for report.json and report.html.")
    var report: String

    func run() throws {
        var config = try options.load()
        if let model { config.detection.modelPath = model }
        let snapshot = try options.loadSnapshot(config)
        let all = try CorpusReader.manifest(manifest)
        let splits = Set(split.split(separator: ",").map(String.init))
        let entries = all.filter { splits.contains($0.split) }
        var evaluation = Evaluation(snapshot: snapshot)
        evaluation.jobs = workers.jobs
        let (outcomes, ablation) = evaluation.outcomesAndAblation(entries) { done, total in FileHandle.standardError.write(Data("eval: \(done)/\(total)\n".utf8)) }
        var result = EvaluationReport.make(model: snapshot.engine.modelID, outcomes: outcomes, ablation: ablation)
        if leaveOneSourceOut {
            let holdout = SourceHoldout(trainer: ModelTrainer(settings: config.features, inlineByteBudget: config.policy.inlineByteBudget), snapshot: snapshot)
            result.holdout = holdout.run(all, created: snapshot.engine.model?.created ?? "") { FileHandle.standardError.write(Data("eval: \($0)\n".utf8)) }
        }
        try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(result).write(to: URL(fileURLWithPath: "\(report)/report.json"), options: .atomic)
        try Data(ReportPage.html(result, outcomes: outcomes).utf8).write(to: URL(fileURLWithPath: "\(report)/report.html"), options: .atomic)
        let rates = result.recallAtFalsePositiveRate.sorted { Double($0.key)! > Double($1.key)! }.map { "\($0.value * 100)% at \(Double($0.key)! * 100)%" }
        print("""
            \(report)/report.html: model \(result.model) on \(outcomes.count) messages
              recall at ham false-positive rate: \(rates.joined(separator: ", "))
              recall at 0.1% by label: \(result.recallAtOneInAThousandByLabel.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value * 100)%" }.joined(separator: ", "))
              ROC AUC \(result.rocAUC); decisions: \(result.confusion.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.sorted { $0.key < $1.key })" }.joined(separator: "; "))
              false negatives \(result.falseNegatives.count), false positives \(result.falsePositives.count), defer rate \(result.deferRate)
            """)
        printSources(result)
        if let folds = result.holdout { print(SourceHoldout.table(folds)) }
        print("  capability gaps: \(result.gaps.count)\(result.gaps.count > 10 ? ", the 10 largest" : "")")
        for gap in result.gaps.prefix(10) { print("    \(gap.count)  \(gap.name)") }
    }

    /// The per-source table: ham sources with their own recall, then attack sources.
    private func printSources(_ result: EvaluationReport) {
        print("  by source (recall of all attacks at 1% / 0.1% of the source's own ham):")
        print("    " + pad("source", 28) + pad("kind", 8) + pad("messages", 10) + pad("quarantined", 20) + pad("recall 1%", 11) + "recall 0.1%")
        for figures in result.bySource {
            let recall = ["0.01", "0.001"].map { rate in figures.recallAtFalsePositiveRate?[rate].map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
            let quarantined = "\(figures.quarantined) (\(String(format: "%.2f%%", figures.quarantinedShare * 100)))"
            print("    " + pad(figures.name, 28) + pad(figures.kind, 8) + pad(String(figures.messages), 10) + pad(quarantined, 20) + pad(recall[0], 11) + recall[1])
        }
        if let worst = result.bySource.first(where: { $0.kind == "ham" && $0.source == result.worstHamSource }) { print("  worst ham source: \(worst.name)") }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
