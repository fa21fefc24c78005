import Foundation

/// Postfix's queue through its own tools: `postqueue -j` to list, `postcat` to read a
/// message, `postsuper` to release or delete one. `configDirectory` is passed as `-c DIR`
/// so a private instance can be managed; nil means the system instance.
public struct PostfixQueue: Sendable {
    public let configDirectory: String?
    public let timeLimit: Duration
    /// Largest message read with postcat; the queue file itself may be larger.
    public let messageByteLimit: Int

    public init(configDirectory: String? = nil, timeLimit: Duration = .seconds(60), messageByteLimit: Int = 64 << 20) {
        self.configDirectory = configDirectory
        self.timeLimit = timeLimit
        self.messageByteLimit = messageByteLimit
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Messages in the hold queue.
    public func heldMessages() throws(Failure) -> [QueuedMessage] {
        let result = try run("postqueue", ["-j"], outputLimit: 256 << 20, dataOnStdout: true)
        return QueuedMessage.parseListing(result.bytes).filter { $0.queueName == "hold" }
    }

    /// The message's header and body exactly as queued (with the headers the milter added).
    public func messageBytes(queueID: String) throws(Failure) -> [UInt8] {
        try run("postcat", ["-bh", "-q", try checked(queueID)], outputLimit: messageByteLimit, dataOnStdout: true).bytes
    }

    /// The message's header section only (enough to list it).
    public func headerBytes(queueID: String) throws(Failure) -> [UInt8] {
        try run("postcat", ["-h", "-q", try checked(queueID)], outputLimit: 1 << 20, dataOnStdout: true).bytes
    }

    /// Moves a held message back to the deferred queue and asks for its delivery now.
    public func release(queueID: String) throws(Failure) {
        let id = try checked(queueID)
        let result = try run("postsuper", ["-H", id, "hold"])
        guard HoldQueueCommands.releasedCount(in: result.output) == 1 else {
            throw Failure(description: "postsuper released nothing for \(id): \(result.output)")
        }
        // Without this the queue manager finds it at its next deferred-queue scan, minutes later.
        _ = try? run("postqueue", ["-i", id])
    }

    /// Deletes a message, only from the hold queue.
    public func delete(queueID: String) throws(Failure) {
        let id = try checked(queueID)
        let result = try run("postsuper", ["-d", id, "hold"])
        guard result.output.contains("Deleted: 1 message") else {
            throw Failure(description: "postsuper deleted nothing for \(id): \(result.output)")
        }
    }

    private func checked(_ queueID: String) throws(Failure) -> String {
        guard QueuedMessage.isQueueID(queueID) else { throw Failure(description: "'\(queueID)' is not a Postfix queue id") }
        return queueID
    }

    /// `dataOnStdout`: the output is data (a listing, a message), so stderr is kept apart and
    /// a warning never ends up inside it; postsuper reports its work on stderr and is read whole.
    private func run(_ tool: String, _ arguments: [String], outputLimit: Int = 65_536, dataOnStdout: Bool = false) throws(Failure) -> ChildProcess.Result {
        let program = Self.locate(tool)
        let argv = [program] + (configDirectory.map { ["-c", $0] } ?? []) + arguments
        let result = ChildProcess.run(argv, timeLimit: timeLimit, outputLimit: outputLimit, separateErrors: dataOnStdout)
        guard result.succeeded else {
            throw Failure(description: "\(argv.joined(separator: " ")): " + (result.failure ?? "exit \(result.status ?? -1): \(result.diagnostics.trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
        return result
    }

    /// Postfix installs its tools in /usr/sbin; posix_spawn needs a path.
    static func locate(_ tool: String) -> String {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin"] where access("\(directory)/\(tool)", X_OK) == 0 {
            return "\(directory)/\(tool)"
        }
        return "/usr/sbin/\(tool)"
    }
}
