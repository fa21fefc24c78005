import Features

/// Drives a `ConnectionFilter` through one message in libmilter's call order, with a
/// recording context standing in for Postfix. `gannet score` and the tests use it, so
/// offline scoring goes through the daemon's own state machine.
public struct MilterReplay: Sendable {
    /// Envelope as Postfix would send it (`<addr>` forms are fine).
    public var envelopeSender: String
    public var recipients: [String]
    public var queueID: String
    /// libmilter hands the body over in chunks of at most this many bytes.
    public var bodyChunkSize: Int
    /// Arrival time (seconds since 1970); 0 leaves Date checks and lesson times unanchored.
    public var receivedAt: Int64 = 0
    /// The session was authenticated or came through an originating service.
    public var originating = false
    /// The name the verdict gets, as the daemon gives one to every message.
    public var verdictID = VerdictID.make()

    public init(envelopeSender: String, recipients: [String], queueID: String = "REPLAY", bodyChunkSize: Int = 65_535) {
        self.envelopeSender = envelopeSender
        self.recipients = recipients
        self.queueID = queueID
        self.bodyChunkSize = max(1, bodyChunkSize)
    }

    /// Envelope taken from the message itself, for stored files: Return-Path (else From) as
    /// sender, and the To address (else a placeholder) as recipient.
    public init(deriving message: RawMessage, queueID: String = "REPLAY") {
        let sender = message.firstValue(of: "Return-Path") ?? message.firstValue(of: "From") ?? "<>"
        let recipient = message.firstValue(of: "Delivered-To") ?? message.firstValue(of: "To") ?? "<recipient@localhost>"
        self.init(envelopeSender: sender, recipients: [recipient], queueID: queueID)
    }

    /// The outcome, the modifications that reached the context, and the final reply after
    /// applying them (a failed modification turns into the failure policy, as in the daemon).
    public struct Result: Sendable {
        public let outcome: EndOfMessageOutcome
        public let applied: [MessageModification]
        public let reply: MilterReply
        public let error: MilterCallError?
        /// Time the end-of-message decision took (what the daemon's inline latency measures).
        public let decisionTime: Duration
    }

    /// With `baselines`, the behaviour features come from that store (which is not taught:
    /// the outcome's lesson says what the daemon would teach it); `canaries` knows the
    /// tokens of the daemon's own canary messages.
    public func run(_ message: RawMessage, snapshot: FilterSnapshot, context: RecordingMilterContext = RecordingMilterContext(),
                    baselines: (any BaselineLookup)? = nil, canaries: (any CanaryClaims)? = nil) -> Result {
        var filter = ConnectionFilter()
        _ = filter.connect(host: "localhost", address: "127.0.0.1")
        _ = filter.helo("localhost")
        _ = filter.mailFrom(arguments: [envelopeSender], snapshot: snapshot, receivedAt: receivedAt, originating: originating)
        for recipient in recipients { _ = filter.rcptTo(arguments: [recipient]) }
        for field in message.headers { _ = filter.header(name: field.name, value: field.value) }
        _ = filter.endOfHeaders()
        var offset = 0
        while offset < message.body.count {
            let end = min(offset + bodyChunkSize, message.body.count)
            _ = message.body[offset..<end].withUnsafeBytes { filter.body($0) }
            offset = end
        }
        context.macros["i"] = queueID
        context.isAtEndOfMessage = true
        defer { context.isAtEndOfMessage = false }
        let failure = filter.failureAction
        let started = ContinuousClock.now
        let outcome = filter.endOfMessage(queueID: context.macro("i"), verdictID: verdictID, baselines: baselines, canaries: canaries)
        let decisionTime = ContinuousClock.now - started
        let carried = context.carryOut(outcome, onFailure: failure)
        return Result(outcome: outcome, applied: context.modifications, reply: carried.reply, error: carried.error, decisionTime: decisionTime)
    }
}
