import ArgumentParser
import Runtime

/// `gannet quarantine show`: one held message, rendered safely.
struct QuarantineShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a held message: headers and decoded text only, links defanged, nothing rendered.")

    @OptionGroup var options: QuarantineOptions

    @Argument(help: "Postfix queue id, or verdict id (g-…).")
    var argument: String

    func run() throws {
        let config = try options.config.load()
        let queueID = try options.queueID(named: argument, config: config)
        let (message, bytes) = try options.heldMessage(queueID, config: config)
        print("Queue ID: \(queueID)  held \(QuarantineList.age(message.age()))  \(message.queued.messageSize) bytes")
        print("Envelope: \(Defang.text(message.queued.sender)) → \(Defang.text(message.queued.recipients.map(\.address).joined(separator: ", ")))")
        let score = message.score.map { String(format: "%.3f", $0) } ?? "-"
        print("Verdict: \(message.verdictID ?? "-") score \(score) category \(message.category ?? "-")" + (message.record.map { " outcome \($0.outcome.rawValue)" } ?? "") + (message.reasons.isEmpty ? "" : " reasons \(message.reasons.joined(separator: ","))"))
        print("")
        print(SafeMessageView(message: bytes).rendered(), terminator: "")
    }
}
