import Detection
import Features
import MailParsing

/// The per-connection milter state machine. Each method is one milter phase; it returns the
/// reply (and at end of message the modifications) as values, and the bridge carries them out.
///
/// A connection carries any number of messages; `abort` and `endOfMessage` end one.
public struct ConnectionFilter: Sendable {
    /// Client as Postfix reported it at connect.
    public private(set) var clientHost: String = ""
    public private(set) var clientAddress: String = ""
    public private(set) var heloName: String = ""
    /// The message being received, nil between messages.
    private var message: MessageInProgress?
    /// Messages finished on this connection.
    public private(set) var messagesCompleted = 0

    public init() {}

    public mutating func connect(host: String, address: String) -> MilterReply {
        clientHost = host
        clientAddress = address
        return .continue
    }

    public mutating func helo(_ name: String) -> MilterReply {
        heloName = name
        return .continue
    }

    /// MAIL FROM: starts a message and fixes the snapshot it will be decided with.
    /// `receivedAt` (seconds since 1970) lets the features judge the message's Date and dates
    /// what the baselines learn. `originating`: the message came through SMTP AUTH or a
    /// service named as originating, so it may teach in an internal sender's name.
    /// `captureBudget`: what all sessions together may keep of their messages for spooling.
    public mutating func mailFrom(arguments: [String], snapshot: FilterSnapshot, receivedAt: Int64 = 0, originating: Bool = false, captureBudget: CaptureBudget? = nil) -> MilterReply {
        let sender = arguments.first.flatMap { MailAddress(parsing: $0) }
        var started = MessageInProgress(snapshot: snapshot, envelope: MessageEnvelope(sender: sender?.description ?? "", receivedAt: receivedAt), captureBudget: captureBudget)
        started.evidence.envelopeSender = sender
        started.receivedAt = receivedAt
        started.originating = originating
        message = started
        return .continue
    }

    public mutating func rcptTo(arguments: [String]) -> MilterReply {
        guard message != nil else { return .continue }
        if let recipient = arguments.first.flatMap({ MailAddress(parsing: $0) }) {
            message?.evidence.recipients.append(recipient)
        }
        return .continue
    }

    public mutating func header(name: String, value: String) -> MilterReply {
        // In place, the reply too: a copy of the message in progress would make every append
        // copy the capture, and reading the reply through `message?` copied its 3 KB each time.
        message?.header(name: name, value: value) ?? .continue
    }

    public mutating func endOfHeaders() -> MilterReply {
        message?.extractor.endOfHeaders()
        message?.capture.endOfHeaders()
        return .continue
    }

    public mutating func body(_ chunk: UnsafeRawBufferPointer) -> MilterReply {
        message?.body(chunk) ?? .continue
    }

    /// Decides the message and returns what to do with it. Without a message in progress
    /// (a protocol order Postfix never uses) it answers with the failure policy.
    /// `elapsed` tells how long ago end of message began; a decision that took longer than the
    /// policy's inline budget is deferred rather than trusted. With `baselines`, the behaviour
    /// features come from that store, and the outcome says what the message teaches it.
    /// `verdictID` names the verdict in its header, logs and hold reason (`VerdictID`).
    /// `canaries`: the tokens of Gannet's own canary messages (`SelftestCanary`).
    public mutating func endOfMessage(queueID: String?, verdictID: String = VerdictID.make(), baselines: (any BaselineLookup)? = nil, canaries: (any CanaryClaims)? = nil,
                                      elapsed: () -> Duration = { .zero }) -> EndOfMessageOutcome {
        defer { messagesCompleted += 1 }
        // Moved out, so finishing the extractor does not copy what it collected.
        guard var current = message.take() else {
            return EndOfMessageOutcome(queueID: queueID, verdict: nil, modifications: [], reply: FailureAction.tempfail.reply)
        }
        var features = current.extractor.finish()
        // The parties of a message that may teach, carried on to its lesson.
        var teaching: BaselineQuery?
        if let baselines {
            let parties = BaselineQuery(evidence: current.evidence, from: current.extractor.from, at: current.receivedAt)
            baselines.signals(for: parties).write(into: &features)
            if current.evidence.mayTeachBaselines(originating: current.originating, internalDomains: current.snapshot.features.internalRegistrable) { teaching = parties }
        }
        let policy = current.snapshot.policy
        let skipped = SkippedSignal.skipped(in: features)
        let inline = current.snapshot.engine.verdict(for: current.evidence, features: features, pass: .inline).noting(skipped)
        guard inline.isFinite else {
            return EndOfMessageOutcome(queueID: queueID, verdict: nil, modifications: [], reply: policy.onInternalError.reply, evidence: current.evidence,
                                       features: features, sizeBytes: current.headerBytes + current.bodyBytes,
                                       internalError: "the model gave a score that is not a number (log-odds \(inline.logOdds))", verdictID: verdictID)
        }
        if let token = current.canaryToken, let asked = canaries?.claim(token, queueID: queueID) {
            return Self.canaryOutcome(current, inline: inline, asked: CanaryNote(token: token, asked: asked), features: features, queueID: queueID, verdictID: verdictID)
        }
        var verdict = inline
        var inlineDecision = inline.decision
        var deferral: String?
        if inline.decision == .defer {
            deferral = "INLINE_DEFERRED"
        } else if inline.category != .policy, elapsed() > policy.inlineBudget {
            deferral = "INLINE_OVER_BUDGET"
        } else if inline.decision == .accept, inline.category != .policy, !skipped.isEmpty, policy.onIncomplete == .defer {
            deferral = "INLINE_INCOMPLETE"
        }
        var deferred: DeferredMessage?
        var headerValue = inline.headerValue
        if let note = deferral {
            inlineDecision = .defer
            let reasons = [Reason(name: note, weight: 0)] + inline.reasons
            verdict = Verdict(score: inline.score, logOdds: inline.logOdds, decision: policy.onDefer.decision, category: inline.category, reasons: reasons, modelID: inline.modelID)
            let pending = Verdict(score: inline.score, logOdds: inline.logOdds, decision: .defer, category: inline.category, reasons: reasons, modelID: inline.modelID)
            // The header says `defer`: a held message cannot be restamped once full scoring decides.
            headerValue = pending.headerValue
            deferred = current.deferred(action: policy.onDefer, inline: pending, parties: teaching, verdictID: verdictID)
        }
        // A flood of forged verdict headers attacks whatever reads them downstream: deleting
        // them is bounded (each is a round trip to Postfix), and the message is held instead.
        if current.incomingVerdictHeaders > Self.maximumStrippedVerdictHeaders {
            verdict = Verdict(score: verdict.score, logOdds: verdict.logOdds, decision: .quarantine, category: .policy,
                              reasons: [Reason(name: "FORGED_VERDICT_HEADERS", weight: 0)] + verdict.reasons, modelID: verdict.modelID)
            inlineDecision = .quarantine
            deferred = nil
            headerValue = verdict.headerValue
        }
        // A decision made inline is final; a deferred one teaches once full scoring decides.
        let lesson = deferred == nil ? teaching.map { BaselineObservation(message: $0, outcome: verdict.decision == .accept ? .clean : .flagged) } : nil
        let modifications = Self.modifications(current, verdict: verdict, headerValue: headerValue, verdictID: verdictID)
        return EndOfMessageOutcome(queueID: queueID, verdict: verdict, inlineDecision: inlineDecision, modifications: modifications, reply: .continue, evidence: current.evidence, features: features, sizeBytes: current.headerBytes + current.bodyBytes, deferred: deferred, lesson: lesson,
                                   verdictID: verdictID, rulesVersion: current.snapshot.engine.rules.rules.version)
    }

    /// What carries out a verdict: incoming verdict headers deleted, Gannet's added, and the
    /// hold of a quarantine.
    static func modifications(_ current: MessageInProgress, verdict: Verdict, headerValue: String, verdictID: String) -> [MessageModification] {
        let policy = current.snapshot.policy
        var modifications: [MessageModification] = []
        if policy.stripIncomingVerdictHeaders {
            // Delete from the last so earlier indexes stay valid.
            for index in stride(from: min(current.incomingVerdictHeaders, Self.maximumStrippedVerdictHeaders), through: 1, by: -1) {
                modifications.append(.changeHeader(name: policy.verdictHeaderName, index: index, value: nil))
            }
        }
        modifications.append(.addHeader(name: policy.verdictHeaderName, value: headerValue + " id=\(verdictID)"))
        if verdict.decision == .quarantine {
            modifications.append(.quarantine(reason: Self.quarantineReason(verdict, id: verdictID)))
        }
        return modifications
    }

    /// More forged verdict headers than this and the message is held rather than cleaned.
    public static let maximumStrippedVerdictHeaders = 16

    /// The message was aborted (RSET, or the client went away); the connection stays.
    public mutating func abort() {
        message = nil
    }

    /// The snapshot's failure policy for the message in progress, or tempfail between messages.
    public var failureAction: FailureAction {
        message?.snapshot.policy.onInternalError ?? .tempfail
    }

    /// The text Postfix logs and shows in the hold queue for a quarantined message.
    static func quarantineReason(_ verdict: Verdict, id: String) -> String {
        let names = verdict.reasons.prefix(3).map(\.name).joined(separator: ",")
        return "Gannet \(verdict.category.rawValue) score=\(Verdict.formatScore(verdict.score)) id=\(id)" + (names.isEmpty ? "" : " \(names)")
    }
}

/// Per-message state between MAIL FROM and end of message.
struct MessageInProgress: Sendable {
    let snapshot: FilterSnapshot
    var extractor: FeatureExtractor
    var evidence = MessageEvidence()
    var sawFromHeader = false
    var receivedAt: Int64 = 0
    var originating = false
    var incomingVerdictHeaders = 0
    /// The first `SelftestCanary` header's value, a canary's token if Gannet issued it.
    var canaryToken: String?
    var headerBytes = 0
    var bodyBytes = 0
    var capture: MessageCapture
    let captureBudget: CaptureBudget?

    init(snapshot: FilterSnapshot, envelope: MessageEnvelope, captureBudget: CaptureBudget? = nil) {
        self.snapshot = snapshot
        self.captureBudget = captureBudget
        self.capture = MessageCapture(limit: snapshot.policy.spoolByteLimit, budget: captureBudget)
        self.extractor = FeatureExtractor(settings: snapshot.features, pass: .inline(byteBudget: snapshot.policy.inlineByteBudget), envelope: envelope)
    }

    mutating func header(name: String, value: String) -> MilterReply {
        headerBytes += name.utf8.count + value.utf8.count + 4
        if evidence.headerFrom == nil, !sawFromHeader, name.caseInsensitiveEquals("From") {
            sawFromHeader = true
            evidence.headerFrom = MailAddress(parsing: value)
        }
        capture.header(name: name, value: value)
        if canaryToken == nil, value.utf8.count <= SelftestCanary.maximumTokenLength, name.caseInsensitiveEquals(SelftestCanary.headerName) {
            canaryToken = value
        }
        if name.caseInsensitiveEquals(snapshot.policy.verdictHeaderName) {
            incomingVerdictHeaders += 1
        } else {
            // Our own verdict header, forged or not, says nothing about the message.
            extractor.header(name: name, value: value)
        }
        return captureReply
    }

    mutating func body(_ chunk: UnsafeRawBufferPointer) -> MilterReply {
        bodyBytes += chunk.count
        extractor.body(chunk)
        capture.body(chunk)
        return captureReply
    }

    /// The message as it goes to the spool, with what was captured of it.
    func deferred(action: DeferAction, inline: Verdict, parties: BaselineQuery?, verdictID: String) -> DeferredMessage {
        DeferredMessage(bytes: capture.overflowed ? nil : capture.bytes, action: action, inline: inline, parties: parties,
                        uncaptured: capture.dropped == .budgetSpent ? "CAPTURE_BUDGET" : "TOO_LARGE_TO_SPOOL", verdictID: verdictID)
    }

    /// Tempfail once the capture budget is spent, when that is the policy: the rest of the
    /// message is not read, and the client retries later.
    private var captureReply: MilterReply {
        capture.dropped == .budgetSpent && captureBudget?.onExhausted == .tempfail ? .tempfail : .continue
    }
}

/// The decision at end of message, with what must be done to carry it out.
public struct EndOfMessageOutcome: Sendable {
    public let queueID: String?
    /// The final verdict; nil when there was no message to decide.
    public let verdict: Verdict?
    /// What the inline pass decided (`defer` when it handed the message on).
    public let inlineDecision: Decision?
    public let modifications: [MessageModification]
    public let reply: MilterReply
    public let evidence: MessageEvidence
    /// The inline pass's feature vector.
    public let features: FeatureVector?
    /// Header and body bytes received.
    public let sizeBytes: Int
    /// A deferred message, to be scored in full; nil when the inline pass decided.
    public let deferred: DeferredMessage?
    /// What the final inline decision teaches the baselines; nil when baselines are off, the
    /// message may not teach, or full scoring decides.
    public let lesson: BaselineObservation?
    /// Why no verdict could be made for a message that was there; the reply is then the
    /// failure policy's.
    public let internalError: String?
    /// The verdict's name (`VerdictID`); nil when there was no message.
    public let verdictID: String?
    /// The rules it was made with (`RuleSet.version`).
    public let rulesVersion: String?
    /// Set when the message was one of Gannet's canaries (`SelftestCanary`).
    public let canary: CanaryNote?

    public init(queueID: String?, verdict: Verdict?, inlineDecision: Decision? = nil, modifications: [MessageModification], reply: MilterReply, evidence: MessageEvidence = MessageEvidence(), features: FeatureVector? = nil, sizeBytes: Int = 0, deferred: DeferredMessage? = nil, lesson: BaselineObservation? = nil,
                internalError: String? = nil, verdictID: String? = nil, rulesVersion: String? = nil, canary: CanaryNote? = nil) {
        self.canary = canary
        self.verdictID = verdictID
        self.rulesVersion = rulesVersion
        self.queueID = queueID
        self.verdict = verdict
        self.inlineDecision = inlineDecision ?? verdict?.decision
        self.modifications = modifications
        self.reply = reply
        self.evidence = evidence
        self.features = features
        self.sizeBytes = sizeBytes
        self.deferred = deferred
        self.lesson = lesson
        self.internalError = internalError
    }

    /// The same outcome with the message put in the hold queue (if it was not already):
    /// for a deferred message that cannot be scored in full.
    public func holding(reason: String) -> EndOfMessageOutcome {
        guard !modifications.contains(where: { if case .quarantine = $0 { true } else { false } }) else { return self }
        return EndOfMessageOutcome(queueID: queueID, verdict: verdict, inlineDecision: inlineDecision, modifications: modifications + [.quarantine(reason: reason)],
                                   reply: reply, evidence: evidence, features: features, sizeBytes: sizeBytes, deferred: deferred, lesson: lesson,
                                   internalError: internalError, verdictID: verdictID, rulesVersion: rulesVersion, canary: canary)
    }
}

