import ArgumentParser
import Foundation
import Training

/// `gannet simulate`: the recall lift of behaviour features over content alone, on
/// simulated tenant streams that carry the corpus.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Train content-only and content + behaviour models on a simulated tenant stream; compare their recall on another, with injected payment fraud."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Manifest (path<TAB>label<TAB>source<TAB>split) with train and test splits.")
    var manifest: String

    @Option(name: .long, help: "Days each tenant stream lasts (attacks are injected from the middle, at most day 60).")
    var days = 120

    @Option(name: .long, help: "Seed of the training stream (the test stream uses seed + 1).")
    var seed: UInt64 = 2026

    @Option(name: .long, help: "Also write the figures as JSON to this file.")
    var report: String?

    func validate() throws {
        guard days >= 2 else { throw ValidationError("--days must be at least 2") }
    }

    func run() throws {
        let config = try options.load()
        var simulation = BehaviourLiftSimulation(trainer: ModelTrainer(settings: config.features, inlineByteBudget: config.policy.inlineByteBudget))
        simulation.days = days
        simulation.seed = seed
        let result = simulation.run(try CorpusReader.manifest(manifest)) { FileHandle.standardError.write(Data("simulate: \($0)\n".utf8)) }
        print(result.text)
        if let report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(result).write(to: URL(fileURLWithPath: report), options: .atomic)
        }
    }
}
