import ArgumentParser
import Foundation
import Runtime
import Training

/// `gannet deploy`: gate a candidate model against the one in service, install it
/// atomically, keep the old one for `--rollback`, and reload the running daemon.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deploy", abstract: "Gate, install and load a new model (or roll back to the previous one).")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The candidate model file.")
    var candidate: String?

    @Flag(name: .long, help: "Put the previous model back in service instead.")
    var rollback = false

    @Flag(name: .customLong("no-reload"), help: "Install without signalling the running daemon.")
    var noReload = false

    func validate() throws {
        if rollback == (candidate != nil) { throw ValidationError("give --candidate FILE or --rollback") }
    }

    func run() throws {
        let config = try options.load()
        let target = config.detection.modelPath
        guard !target.isEmpty else { throw ValidationError("detection.model names no file to deploy to") }
        if rollback {
            try ModelInstaller.rollback(at: target)
            print("\(target): previous model restored")
        } else if let candidate {
            try Self.gateAndInstall(candidate: candidate, config: config, options: options)
        }
        guard !noReload else { return }
        switch PidFile.signalReload(stateDirectory: config.daemon.stateDirectory) {
        case .success(let pid): print("reload requested from gannet (pid \(pid))")
        case .failure: print("no running daemon found; it loads the model when it starts")
        }
    }

    /// Evaluates the candidate against the model in service on `deploy.manifest` (when set),
    /// refuses it if the gate says so, else installs it atomically. `candidateOutcomes`: the
    /// candidate's outcomes on that manifest, when the caller has them already.
    static func gateAndInstall(candidate: String, config: GannetConfig, options: ConfigOptions, candidateOutcomes: [Evaluation.Outcome]? = nil) throws {
        let target = config.detection.modelPath
        var candidateConfig = config
        candidateConfig.detection.modelPath = candidate
        let candidateSnapshot = try options.loadSnapshot(candidateConfig)
        if !config.deploy.manifest.isEmpty {
            let entries = try CorpusReader.manifest(config.deploy.manifest, split: config.deploy.split)
            let candidateFigures = DeploymentGate.Figures(candidateOutcomes ?? Evaluation(snapshot: candidateSnapshot).outcomes(entries))
            let currentFigures = FileManager.default.fileExists(atPath: target)
                ? (try? options.loadSnapshot(config)).map { DeploymentGate.Figures(Evaluation(snapshot: $0).outcomes(entries)) } : nil
            let gate = DeploymentGate(maximumRecallDrop: config.deploy.maximumRecallDrop, maximumFalsePositiveRise: config.deploy.maximumFalsePositiveRise)
            print("candidate \(candidateSnapshot.engine.modelID): recall \(candidateFigures.recall), false-positive rate \(candidateFigures.falsePositiveRate)")
            if let currentFigures { print("in service: recall \(currentFigures.recall), false-positive rate \(currentFigures.falsePositiveRate)") }
            if let refusal = gate.refusal(candidate: candidateFigures, current: currentFigures) {
                throw ValidationError("candidate refused: \(refusal)")
            }
        }
        try ModelInstaller.install(candidate, at: target)
        print("\(target): model \(candidateSnapshot.engine.modelID) installed (previous kept as \(target).previous)")
    }
}
