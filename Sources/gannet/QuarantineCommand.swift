import ArgumentParser
import Foundation
import FilterCore
import Runtime

/// `gannet quarantine`: review what sits in Postfix's hold queue, and let it go or delete it.
struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List, show, release or delete messages held in Postfix's hold queue.",
        subcommands: [QuarantineList.self, QuarantineShow.self, QuarantineRelease.self, QuarantineDelete.self]
    )
}

/// Options every quarantine subcommand shares.
struct QuarantineOptions: ParsableArguments {
    @OptionGroup var config: ConfigOptions

    @Option(name: .long, help: "Postfix configuration directory (passed as -c to postqueue, postcat and postsuper); default: the system instance.")
    var postfixConfig: String?

    var queue: PostfixQueue { PostfixQueue(configDirectory: postfixConfig) }

    /// A held message joined with its verdict-log record, and its bytes as queued; fails when
    /// the id is not held.
    func heldMessage(_ queueID: String, config: GannetConfig) throws -> (message: QuarantinedMessage, bytes: [UInt8]) {
        // Before anything reaches postsuper: "ALL" or an option there would act on the whole queue.
        guard QueuedMessage.isQueueID(queueID) else { throw ValidationError("'\(queueID)' is not a Postfix queue id") }
        let held = try queue.heldMessages()
        guard let queued = held.first(where: { $0.queueID == queueID }) else {
            throw ValidationError("\(queueID) is not in the hold queue")
        }
        let records = try VerdictLogReader(path: VerdictLogReader.path(for: config)).latestByQueueID()
        let decisions = try Self.decisions(config)
        let bytes = try queue.messageBytes(queueID: queueID)
        return (QuarantinedMessage(queued: queued, headerBytes: bytes, verdictHeaderName: config.policy.verdictHeaderName, record: records[queueID], decision: decisions[queueID]), bytes)
    }

    /// The queue id an argument names: a queue id as it is, or a verdict id (`g-…`, from a
    /// header, a bounce or a log line) looked up in the decision and verdict logs, else in the
    /// verdict headers of the held messages.
    func queueID(named argument: String, config: GannetConfig) throws -> String {
        guard VerdictID.isVerdictID(argument) else { return argument }
        if let logged = try Self.decisions(config).values.first(where: { $0.verdictID == argument }) { return logged.queueID }
        if let logged = try VerdictLogReader(path: VerdictLogReader.path(for: config)).read().records.last(where: { $0.verdictID == argument }) { return logged.queueID }
        for queued in try queue.heldMessages() {
            guard let headers = try? queue.headerBytes(queueID: queued.queueID) else { continue }
            let message = QuarantinedMessage(queued: queued, headerBytes: headers, verdictHeaderName: config.policy.verdictHeaderName, record: nil)
            if message.verdictID == argument { return queued.queueID }
        }
        throw ValidationError("no held message has verdict \(argument)")
    }

    /// The decision log's last line per queue id; empty when no decision log is kept.
    static func decisions(_ config: GannetConfig) throws -> [String: DecisionRecord] {
        guard !config.daemon.decisionLog.isEmpty else { return [:] }
        var latest: [String: DecisionRecord] = [:]
        for record in try DecisionRecord.read(log: config.daemon.decisionLog) { latest[record.queueID] = record }
        return latest
    }
}
