import ArgumentParser
import Foundation
import Runtime

/// `gannet quarantine list`: the hold queue with Gannet's verdicts, filtered.
struct QuarantineList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List held messages with sender, recipients, subject, age, score, category and reasons.")

    @OptionGroup var options: QuarantineOptions

    @Option(help: "Only messages whose envelope sender or From contains this (any case).")
    var sender: String?

    @Option(help: "Only messages with a recipient containing this (any case).")
    var recipient: String?

    @Option(help: "Only messages of this category (phishing, bec, malware, scam, spam, policy, clean).")
    var category: String?

    @Option(help: "Only messages held at least this long (e.g. 30m, 2h, 1d).")
    var olderThan: String?

    @Option(help: "Only messages held at most this long (e.g. 30m, 2h, 1d).")
    var newerThan: String?

    @Flag(help: "Only messages Gannet holds with no verdict it will act on (never scored, timed out, failed, or a release that found nothing held).")
    var unsettled = false

    @Flag(help: "One JSON object per message per line.")
    var json = false

    func validate() throws {
        for (name, value) in [("--older-than", olderThan), ("--newer-than", newerThan)] {
            if let value, DurationText.seconds(value) == nil { throw ValidationError("\(name) '\(value)' is not a span like 90s, 15m, 2h, 1d or 2w") }
        }
    }

    func run() throws {
        let config = try options.config.load()
        let queue = options.queue
        let records = try VerdictLogReader(path: VerdictLogReader.path(for: config)).latestByQueueID()
        let decisions = try QuarantineOptions.decisions(config)
        let filter = QuarantineFilter(sender: sender, recipient: recipient, category: category, olderThan: olderThan.flatMap(DurationText.seconds), newerThan: newerThan.flatMap(DurationText.seconds))
        let now = Date()
        var messages: [QuarantinedMessage] = []
        for queued in try queue.heldMessages().sorted(by: { $0.arrivalTime < $1.arrivalTime }) {
            // A message released or deleted meanwhile has no queue file left; skip it.
            guard let headers = try? queue.headerBytes(queueID: queued.queueID) else { continue }
            let message = QuarantinedMessage(queued: queued, headerBytes: headers, verdictHeaderName: config.policy.verdictHeaderName, record: records[queued.queueID], decision: decisions[queued.queueID])
            if filter.matches(message, now: now), !unsettled || message.holdReason.unsettled { messages.append(message) }
        }
        if json {
            for message in messages {
                let data = try JSONSerialization.data(withJSONObject: message.json(now: now), options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        print("QUEUE ID      AGE    SCORE  CATEGORY   SENDER → RECIPIENTS / SUBJECT / REASONS")
        for message in messages {
            let score = message.score.map { String(format: "%.3f", $0) } ?? "  -  "
            let category = (message.category ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0)
            let recipients = message.queued.recipients.map(\.address).joined(separator: ", ")
            print("\(message.queued.queueID.padding(toLength: 13, withPad: " ", startingAt: 0)) \(Self.age(message.age(now: now)).padding(toLength: 6, withPad: " ", startingAt: 0)) \(score)  \(category) \(Defang.text(message.queued.sender)) → \(Defang.text(recipients))")
            print("              subject: \(Defang.text(message.subject))" + (message.reasons.isEmpty ? "" : "  reasons: \(message.reasons.prefix(5).joined(separator: ","))"))
            print("              held: \(Defang.text(message.holdReason.text))" + (message.holdReason.unsettled ? "  (unsettled: release or delete it)" : ""))
        }
        let unsettledCount = messages.filter(\.holdReason.unsettled).count
        print("\(messages.count) held message(s)" + (unsettledCount > 0 ? ", \(unsettledCount) unsettled" : ""))
    }

    static func age(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: "\(Int(seconds))s"
        case ..<7_200: "\(Int(seconds / 60))m"
        case ..<172_800: "\(Int(seconds / 3_600))h"
        default: "\(Int(seconds / 86_400))d"
        }
    }
}
