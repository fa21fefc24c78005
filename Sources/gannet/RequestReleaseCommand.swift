import ArgumentParser
import Runtime

/// `gannet request-release`: the packaged release command. Leaves a durable request for the
/// root helper (systemd/gannet-release.path) instead of running postsuper, which needs root.
struct RequestReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "request-release", abstract: "Ask the release helper to release a message from Postfix's hold queue.")

    @Option(name: .long, help: "Request directory the helper watches.")
    var directory = "/var/lib/gannet/release"

    @Argument(help: "Postfix queue id.")
    var queueID: String

    func run() throws {
        do {
            try ReleaseRequests(directory: directory).request(queueID: queueID)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
