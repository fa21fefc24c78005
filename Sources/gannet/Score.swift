import ArgumentParser
import Detection
import FilterCore
import Foundation
import Runtime

/// `gannet score`: scores stored messages through the daemon's own state machine.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Score message files or directories through the daemon's code path.")

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "One JSON object per message per line.")
    var json = false

    @Option(name: .long, help: "Model file, overriding detection.model.")
    var model: String?

    @Flag(name: .long, help: "Add each message's inline decision time (inline_us), which differs from run to run.")
    var timings = false

    @OptionGroup var workers: JobsOption

    @Argument(help: "Message files, or directories searched recursively.")
    var paths: [String]

    func run() throws {
        var config = try options.load()
        if let model { config.detection.modelPath = model }
        // Offline there is no spool, so the milter path need not keep a copy of each message for one.
        config.policy.spoolByteLimit = 0
        let snapshot = try options.loadSnapshot(config)
        let (json, timings) = (json, timings)
        let unreadable: @Sendable (String, MessageFiles.ReadError) -> String = { path, error in
            let line = ScoreLine(path: path, error: error.description)
            return json ? line.json : line.text
        }
        let allScored = MessageFiles.eachMessage(paths, jobs: workers.jobs, unreadable: unreadable) { path, bytes in
            let line = Self.score(path: path, bytes: bytes, snapshot: snapshot, timings: timings)
            return (json ? line.json : line.text, line.error == nil)
        }
        if !allScored { throw ExitCode(1) }
    }

    static func score(path: String, bytes: [UInt8], snapshot: FilterSnapshot, timings: Bool) -> ScoreLine {
        let message = RawMessage(bytes: bytes)
        let result = MilterReplay(deriving: message).run(message, snapshot: snapshot)
        guard var verdict = result.outcome.verdict, let inlineDecision = result.outcome.inlineDecision, result.error == nil else {
            return ScoreLine(path: path, error: result.outcome.internalError ?? result.error?.description ?? "no verdict")
        }
        // The daemon decides a deferred message by the full pass, asynchronously; here it runs at once.
        if inlineDecision == .defer {
            verdict = message.fullVerdict(evidence: result.outcome.evidence, snapshot: snapshot)
            guard verdict.isFinite else { return ScoreLine(path: path, error: "the full pass's model gave a score that is not a number") }
        }
        let microseconds = timings ? Int((result.decisionTime.seconds * 1e6).rounded()) : nil
        return ScoreLine(path: path, verdict: verdict, inlineDecision: inlineDecision, inlineMicroseconds: microseconds)
    }
}

/// One scored message (or one that could not be read), in both output forms.
struct ScoreLine {
    let path: String
    var score: Double?
    var logOdds: Double?
    var decision: String?
    var inlineDecision: String?
    var category: String?
    var reasons: [Reason]?
    var inlineMicroseconds: Int?
    var error: String?

    init(path: String, error: String) {
        self.path = path
        self.error = error
    }

    init(path: String, verdict: Verdict, inlineDecision: Decision, inlineMicroseconds: Int?) {
        self.path = path
        self.score = verdict.score
        self.logOdds = verdict.logOdds
        self.inlineDecision = inlineDecision.rawValue
        self.decision = verdict.decision.rawValue
        self.category = verdict.category.rawValue
        self.reasons = verdict.reasons
        self.inlineMicroseconds = inlineMicroseconds
    }

    /// Keys in sorted order, as the JSON contract has always had them.
    var json: String {
        var line = JSONLine()
        line.field("category", category)
        line.field("decision", decision)
        line.field("error", error)
        line.field("inline_decision", inlineDecision)
        line.field("inline_us", inlineMicroseconds)
        line.field("log_odds", logOdds)
        line.field("path", path)
        line.field("reasons", objects: reasons) { object, reason in
            object.field("name", reason.name)
            object.field("weight", reason.weight)
        }
        line.field("score", score)
        return line.finished
    }

    var text: String {
        if let error { return "\(path): error: \(error)" }
        let names = (reasons ?? []).map(\.name).joined(separator: ",")
        return "\(path): \(decision ?? "-") score=\(Verdict.formatScore(score ?? 0)) category=\(category ?? "-")" + (names.isEmpty ? "" : " reasons=\(names)")
    }
}
