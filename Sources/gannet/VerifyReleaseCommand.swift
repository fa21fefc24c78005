import ArgumentParser
import Foundation
import Runtime

/// `gannet verify-release`: asked by the root release helper before it runs postsuper, so
/// that a request can release only a message Gannet itself held and found clean, never one
/// another filter or an administrator put on hold.
struct VerifyReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-release",
        abstract: "Exit 0 when the verdict log's last record for a queue id is a clean verdict on a message Gannet held.",
        discussion: "Exit status: 0 the release is Gannet's; 1 the log's last verdict on it does not release it; 3 no verdict names it (yet)."
    )

    @OptionGroup var config: ConfigOptions

    @Argument(help: "Postfix queue id.")
    var queueID: String

    func run() throws {
        guard QueuedMessage.isQueueID(queueID) else { throw ValidationError("'\(queueID)' is not a Postfix queue id") }
        let log = VerdictLogReader(path: VerdictLogReader.path(for: try config.load()))
        guard let record = try log.latest(queueID: queueID) else {
            FileHandle.standardError.write(Data("\(queueID): no verdict in \(log.path) names it\n".utf8))
            throw ExitCode(3)
        }
        guard record.releases else {
            FileHandle.standardError.write(Data("\(queueID): the last verdict is \(record.outcome.rawValue) on a message \(record.action == .hold ? "held" : "delivered"); not a release\n".utf8))
            throw ExitCode.failure
        }
        print("\(queueID): clean verdict on a held message (job \(record.jobID))")
    }
}
