import ArgumentParser
import Foundation
import Runtime

/// `gannet report`: a summary of the verdict, review and decision logs over a recent period.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Summarise deferred-message verdicts and quarantine reviews over a recent period.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "The period: 1d, 7d, 12h…")
    var since = "1d"

    @Flag(help: "The report as one JSON object.")
    var json = false

    func validate() throws {
        if DurationText.seconds(since) == nil { throw ValidationError("--since '\(since)' is not a span like 12h, 1d or 7d") }
    }

    func run() throws {
        let config = try options.load()
        let log = try VerdictLogReader(path: VerdictLogReader.path(for: config)).read()
        let start = Date().timeIntervalSince1970 - (DurationText.seconds(since) ?? 0)
        let decisions = config.daemon.decisionLog.isEmpty ? nil : try DecisionRecord.read(log: config.daemon.decisionLog)
        let report = VerdictReport(records: log.records, reviews: ReviewDecision.read(log: ReviewDecision.logPath(for: config)), decisions: decisions, since: start, unreadableLines: log.unreadableLines)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.rendered(), terminator: "")
        }
    }
}
