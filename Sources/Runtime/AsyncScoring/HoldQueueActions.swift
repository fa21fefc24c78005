/// What carrying out a verdict does outside Gannet: release a message from Postfix's hold
/// queue, and hand a verdict to the post-delivery hook. A protocol so tests can record calls.
public protocol HoldQueueActions: Sendable {
    func release(queueID: String) -> ReleaseResult
    /// Hands a malicious verdict (JSON) on a delivered message to the hook; nil when none is set.
    func remediate(verdictJSON: [UInt8]) -> CommandOutcome?
}

public enum ReleaseResult: Sendable, Equatable {
    /// postsuper said it released the message, which proves it was held.
    case released
    /// The command succeeded without postsuper's summary: a request for someone else to
    /// release it (`gannet request-release`).
    case requested
    /// The command ran but found nothing held under that id: not queued yet, or released before.
    case notHeld
    case failed(String)
}

public enum CommandOutcome: Sendable, Equatable {
    case succeeded
    case failed(String)
}

/// The real actions: the configured release command (postsuper -H) and hook command.
public struct HoldQueueCommands: HoldQueueActions {
    public let releaseCommand: [String]
    public let hookCommand: [String]
    public let timeLimit: Duration

    public init(releaseCommand: [String], hookCommand: [String], timeLimit: Duration) {
        self.releaseCommand = releaseCommand
        self.hookCommand = hookCommand
        self.timeLimit = timeLimit
    }

    public func release(queueID: String) -> ReleaseResult {
        let result = ChildProcess.run(releaseCommand + [queueID], timeLimit: timeLimit)
        guard result.succeeded else {
            return .failed(result.failure ?? "exit \(result.status ?? -1): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        switch Self.releasedCount(in: result.output) {
        case 0: return .notHeld
        case nil: return .requested
        default: return .released
        }
    }

    public func remediate(verdictJSON: [UInt8]) -> CommandOutcome? {
        guard !hookCommand.isEmpty else { return nil }
        let result = ChildProcess.run(hookCommand, input: verdictJSON + [UInt8(ascii: "\n")], timeLimit: timeLimit)
        guard result.succeeded else {
            return .failed(result.failure ?? "exit \(result.status ?? -1): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return .succeeded
    }

    /// postsuper's summary, `postsuper: Released from hold: N message(s)`; nil when the
    /// command says nothing of the kind (then its exit status alone counts).
    static func releasedCount(in output: String) -> Int? {
        guard let range = output.range(of: "Released from hold: ") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }
}
