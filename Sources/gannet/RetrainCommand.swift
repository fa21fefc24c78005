import ArgumentParser
import Foundation
import Runtime
import Training

/// `gannet retrain`: train → evaluate → deploy from the `[retrain]` settings, unattended
/// (systemd/gannet-retrain.timer runs it).
struct RetrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retrain", abstract: "Train a candidate on the configured corpora and feedback, evaluate it, and deploy it through the gate.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var budgetOptions: HoldBudgetOptions

    func run() throws {
        let config = try options.load()
        let settings = config.retrain
        // Feedback labels judge the model's own verdicts: never the only thing it learns from.
        guard !settings.manifests.isEmpty else { throw ValidationError("[retrain] lists no manifests: a model is never trained on its own verdicts alone") }
        guard !config.detection.modelPath.isEmpty else { throw ValidationError("detection.model names no file to deploy to") }
        var entries: [CorpusEntry] = []
        for manifest in settings.manifests { entries += try CorpusReader.manifest(manifest, split: settings.split) }
        let ledger = LabelLedger(path: LabelLedger.path(for: config))
        let fromFolders = try ledger.recordFeedbackFolders(settings.feedback)
        let labels = try ledger.currentView().filter { $0.file.map(FileManager.default.fileExists) ?? false }
        entries += labels.compactMap { record in record.file.map { CorpusEntry(location: $0, label: record.label ?? "ham") } }
        let work = settings.workDirectory.isEmpty ? config.daemon.stateDirectory + "/models" : settings.workDirectory
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let trained = TrainedLabels(path: "\(work)/trained-labels")
        print(trained.changes(now: labels, newFromFolders: fromFolders.count))
        let stamp = ISO8601DateFormatter().string(from: Date())
        var trainer = ModelTrainer(settings: config.features, inlineByteBudget: config.policy.inlineByteBudget)
        let budget = try budgetOptions.budget(config)
        let usualRate = trainer.targetFalsePositiveRate
        if let budget { trainer.targetFalsePositiveRate = budget.falsePositiveRate }
        let report = trainer.train(entries, created: stamp) { FileHandle.standardError.write(Data("retrain: \($0)\n".utf8)) }
        let candidate = "\(work)/candidate-\(report.document.id).json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(report.document).write(to: URL(fileURLWithPath: candidate), options: .atomic)
        print("\(candidate): \(report.trainingMessages) training messages, out-of-fold recall \(report.outOfFoldRecall) at false-positive rate \(report.outOfFoldFalsePositiveRate)")
        if let budget { print(HoldBudgetOptions.summary(budget, report, defaultRate: usualRate)) }
        var candidateOutcomes: [Evaluation.Outcome]?
        if !config.deploy.manifest.isEmpty {
            var candidateConfig = config
            candidateConfig.detection.modelPath = candidate
            let evaluation = Evaluation(snapshot: try options.loadSnapshot(candidateConfig))
            let entries = try CorpusReader.manifest(config.deploy.manifest, split: config.deploy.split)
            let (outcomes, ablation) = evaluation.outcomesAndAblation(entries)
            candidateOutcomes = outcomes
            let result = EvaluationReport.make(model: report.document.id, outcomes: outcomes, ablation: ablation)
            let directory = "\(work)/report-\(report.document.id)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(ReportPage.html(result, outcomes: outcomes).utf8).write(to: URL(fileURLWithPath: "\(directory)/report.html"), options: .atomic)
            print("\(directory)/report.html")
        }
        try DeployCommand.gateAndInstall(candidate: candidate, config: config, options: options, candidateOutcomes: candidateOutcomes)
        try trained.remember(labels)
        switch PidFile.signalReload(stateDirectory: config.daemon.stateDirectory) {
        case .success(let pid): print("reload requested from gannet (pid \(pid))")
        case .failure: print("no running daemon found; it loads the model when it starts")
        }
    }
}
