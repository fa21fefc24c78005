import ArgumentParser
import Foundation
import Training

/// `gannet replay`: the counterfactual question — which messages would change decision if
/// the candidate model replaced the baseline (same rules and lists)?
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Compare two models' decisions on a labelled corpus, message by message.")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var workers: JobsOption

    @Option(name: .long, help: "The model in service.")
    var baseline: String

    @Option(name: .long, help: "The model that would replace it.")
    var candidate: String

    @Option(name: .long, help: "Manifest (path<TAB>label<TAB>source<TAB>split).")
    var manifest: String

    @Option(name: .long, help: "Only this split of the manifest.")
    var split: String?

    @Option(name: .long, help: "Example messages shown per kind of change.")
    var examples = 5

    func run() throws {
        let config = try options.load()
        let entries = try CorpusReader.manifest(manifest, split: split)
        func outcomes(_ model: String) throws -> [String: Evaluation.Outcome] {
            var modelConfig = config
            modelConfig.detection.modelPath = model
            var evaluation = Evaluation(snapshot: try options.loadSnapshot(modelConfig))
            evaluation.jobs = workers.jobs
            let list = evaluation.outcomes(entries)
            return Dictionary(uniqueKeysWithValues: list.map { ($0.path, $0) })
        }
        let before = try outcomes(baseline), after = try outcomes(candidate)
        var changes: [String: [Evaluation.Outcome]] = [:]
        for (path, old) in before {
            guard let new = after[path], new.decision != old.decision else { continue }
            changes["\(new.label) (\(new.category)): \(old.decision) → \(new.decision)", default: []].append(new)
        }
        print("\(entries.count) messages, \(changes.values.map(\.count).reduce(0, +)) change decision")
        for (kind, list) in changes.sorted(by: { $0.key < $1.key }) {
            print("  \(kind): \(list.count)")
            for example in list.sorted(by: { $0.path < $1.path }).prefix(examples) {
                print("    \(example.path)  score \(String(format: "%.3f", example.score))  \(example.reasons.prefix(3).joined(separator: ","))")
            }
        }
    }
}
