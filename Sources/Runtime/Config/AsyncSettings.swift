/// `[async]` settings: full scoring of deferred messages. Changes take effect on restart.
public struct AsyncSettings: Sendable, Equatable {
    /// Worker threads running the full pass.
    public var workers = 2
    /// Deferred messages spooled and not yet finished; past it, `onQueueFull` applies.
    public var queueCapacity = 1_000
    /// Longest a full pass may take; a slower message stays held with ASYNC_TIMEOUT.
    public var timeLimit: Duration = .seconds(60)
    /// What a deferred message gets when the queue is full.
    public var onQueueFull = QueueFullAction.hold
    /// Releases a message from the hold queue; the queue id is appended as the last argument.
    /// The packaged default leaves a request for the root helper (systemd/gannet-release.path).
    public var releaseCommand = ["/usr/bin/gannet", "request-release", "--directory", "/var/lib/gannet/release"]
    /// In `on_defer = "accept"` mode, receives each malicious verdict as JSON on stdin; empty: none.
    public var hookCommand: [String] = []
    /// Longest a release or hook command may run before it is killed and counted as failed.
    public var commandTimeLimit: Duration = .seconds(30)
    /// JSON-lines file every final verdict is appended to; "" means `<state_dir>/verdicts.jsonl`.
    public var verdictLog = ""

    public init() {}
}

/// What a deferred message gets when the asynchronous queue is full.
public enum QueueFullAction: String, Sendable, Equatable, CaseIterable {
    /// Held without scoring; the verdict log says so and someone reviews it.
    case hold
    /// The client gets 451 and retries later.
    case tempfail
}
