import FilterCore
import Foundation
import MailParsing

/// A message in the hold queue with what Gannet knows of it: Postfix's envelope, the From and
/// Subject it shows, the verdict header Gannet stamped, for a deferred message its record in
/// the verdict log (which alone has the reasons of a full verdict), and its line in the
/// decision log when that is kept (the reasons of an inline decision).
public struct QuarantinedMessage: Sendable {
    public let queued: QueuedMessage
    public let from: String
    public let subject: String
    public let header: VerdictHeader?
    public let record: VerdictRecord?
    public let decision: DecisionRecord?

    public init(queued: QueuedMessage, headerBytes: [UInt8], verdictHeaderName: String, record: VerdictRecord?, decision: DecisionRecord? = nil) {
        self.queued = queued
        let raw = RawMessage(bytes: headerBytes)
        func value(_ name: String) -> String? {
            raw.headers.last { $0.name.lowercased() == name.lowercased() }
                .map { EncodedWords.decode(HeaderField(name: $0.name, value: $0.value).unfoldedValue).text }
        }
        from = value("From") ?? ""
        subject = value("Subject") ?? ""
        // The milter adds its header last; a forged one from outside was removed (verdict.strip_incoming).
        header = value(verdictHeaderName).flatMap(VerdictHeader.init)
        self.record = record
        self.decision = decision
    }

    /// The full verdict's score when there is one, else the stamped one.
    public var score: Double? { record?.verdict?.score ?? header?.score ?? decision?.score }

    public var category: String? { record?.verdict?.category.rawValue ?? header?.category ?? decision?.category.rawValue }

    /// Named reasons, strongest first: the full verdict's, the inline one of a deferred
    /// message, or the decision log's. Without a decision log a message held inline has none
    /// on record here (they are in the daemon's and Postfix's `milter-hold` log lines).
    public var reasons: [String] {
        let reasons = (record?.verdict ?? record?.inline)?.reasons ?? decision?.reasons ?? []
        return reasons.filter { $0.weight != 0 }.map(\.name)
    }

    /// The verdict's name: stamped in the header, else from the logs.
    public var verdictID: String? { header?.id ?? record?.verdictID ?? decision?.verdictID }

    public var holdReason: HoldReason {
        HoldReason(record: record, headerDecision: header?.decision, loggedDecision: decision?.decision.rawValue)
    }

    public func age(now: Date = Date()) -> Double { max(0, now.timeIntervalSince1970 - queued.arrivalTime) }

    /// One JSON object (keys sorted) for `gannet quarantine list --json`.
    public func json(now: Date = Date()) -> [String: Any] {
        var object: [String: Any] = [
            "queue_id": queued.queueID,
            "arrival_time": queued.arrivalTime,
            "age_seconds": Int(age(now: now)),
            "size": queued.messageSize,
            "sender": queued.sender,
            "recipients": queued.recipients.map(\.address),
            "from": from,
            "subject": subject,
            "reasons": reasons,
        ]
        object["score"] = score
        object["category"] = category
        object["decision"] = header?.decision
        object["model"] = header?.model
        object["outcome"] = record?.outcome.rawValue
        object["detail"] = record?.detail
        object["verdict_id"] = verdictID
        object["held_because"] = holdReason.text
        object["unsettled"] = holdReason.unsettled
        return object
    }
}

/// `gannet quarantine list` filters; every one given must hold.
public struct QuarantineFilter: Sendable {
    /// Substring (any case) of the envelope sender or the From header.
    public var sender: String?
    /// Substring (any case) of any recipient.
    public var recipient: String?
    public var category: String?
    /// Held at least this long (seconds).
    public var olderThan: Double?
    /// Held at most this long (seconds).
    public var newerThan: Double?

    public init(sender: String? = nil, recipient: String? = nil, category: String? = nil, olderThan: Double? = nil, newerThan: Double? = nil) {
        self.sender = sender
        self.recipient = recipient
        self.category = category
        self.olderThan = olderThan
        self.newerThan = newerThan
    }

    public func matches(_ message: QuarantinedMessage, now: Date = Date()) -> Bool {
        if let sender, !message.queued.sender.localizedCaseInsensitiveContains(sender), !message.from.localizedCaseInsensitiveContains(sender) { return false }
        if let recipient, !message.queued.recipients.contains(where: { $0.address.localizedCaseInsensitiveContains(recipient) }) { return false }
        if let category, message.category?.lowercased() != category.lowercased() { return false }
        let age = message.age(now: now)
        if let olderThan, age < olderThan { return false }
        if let newerThan, age > newerThan { return false }
        return true
    }
}
