import ArgumentParser
import Detection
import Features
import Runtime
import FilterCore
import Foundation

/// `gannet explain`: why a message got its verdict, in the names the header and logs use.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain the verdict of message files: reasons, model contributions, rules, features.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Model file, overriding detection.model.")
    var model: String?

    @Flag(name: .long, help: "Fill the behaviour features from the configured baselines store, as of now (without teaching it).")
    var baselines = false

    @OptionGroup var store: BaselineStoreOptions

    @Flag(name: .long, help: "Show the inline decision time, which differs from run to run.")
    var timings = false

    @OptionGroup var workers: JobsOption

    @Option(name: .long, help: "Explain a verdict the daemon gave, by its id (g-…, from the verdict header, a reply, a log line), from the decision and verdict logs.")
    var id: String?

    @Argument(help: "Message files.")
    var paths: [String] = []

    func validate() throws {
        if (id == nil) == paths.isEmpty { throw ValidationError("give message files, or --id VERDICT_ID") }
        if let id, !VerdictID.isVerdictID(id) { throw ValidationError("'\(id)' is not a verdict id (g- and ten letters and digits)") }
    }

    func run() throws {
        if let id { return try VerdictLookup(config: options.load()).explain(id) }
        var config = try options.load()
        if let model { config.detection.modelPath = model }
        let snapshot = try options.loadSnapshot(config)
        let engine = snapshot.engine
        let lookup = baselines ? try store.lookup(config).lookup : nil
        let allHandled = MessageFiles.eachMessage(paths, jobs: workers.jobs) { path, data in
            var lines: [String] = []
            func print(_ line: String) { lines.append(line) }
            let message = RawMessage(bytes: data)
            var replay = MilterReplay(deriving: message)
            // Baselines decay by the time of the lookup.
            if lookup != nil { replay.receivedAt = Int64(Date().timeIntervalSince1970) }
            let result = replay.run(message, snapshot: snapshot, baselines: lookup)
            guard let verdict = result.outcome.verdict, let inline = result.outcome.inlineDecision, let inlineFeatures = result.outcome.features else {
                return ("\(path): error: no verdict", false)
            }
            let evidence = result.outcome.evidence
            // The daemon's full pass, with the envelope it saw: explain must say what score decides.
            let fullFeatures = message.fullFeatures(evidence: evidence, snapshot: snapshot, baselines: lookup, at: replay.receivedAt)
            let final = inline == .defer ? engine.verdict(for: evidence, features: fullFeatures, pass: .full) : verdict
            print("\(path)")
            print("  verdict:  \(final.headerValue)")
            let time = timings ? " in \(Int((result.decisionTime.seconds * 1e6).rounded())) µs" : ""
            print("  inline:   \(inline.rawValue)\(time)\(inlineFeatures.wasCut ? " (body cut at the inline byte budget)" : "")")
            print("  thresholds: quarantine ≥ \(engine.thresholds.quarantine), accept < \(engine.thresholds.accept)")
            print("  reasons:")
            for reason in final.reasons { print("    \(reason.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(Self.signed(reason.weight))") }
            if let model = engine.model {
                let score = inline == .defer ? model.scoreFull(fullFeatures, explain: true) : model.scoreInline(inlineFeatures, explain: true)
                print("  model \(model.id): log-odds \(Self.signed(score.logit))")
                for contribution in score.contributions.prefix(12) {
                    print("    \(contribution.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(Self.signed(contribution.value))")
                }
            } else {
                print("  model: none (base log-odds \(Self.signed(engine.policy.baseLogit)))")
            }
            let fired = engine.rules.firedRules(fullFeatures, evidence)
            print("  rules fired: \(fired.isEmpty ? "none" : fired.map { "\($0.name) (line \($0.line))" }.joined(separator: ", "))")
            print("  features (full pass, non-zero):")
            for (definition, value) in zip(FeatureSchema.definitions, fullFeatures.values) where value != 0 {
                print("    \(definition.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(FeaturesCommand.format(value))")
            }
            return (lines.joined(separator: "\n"), true)
        }
        if !allHandled { throw ExitCode(1) }
    }

    static func signed(_ value: Double) -> String {
        String(format: "%+.3f", value)
    }
}
