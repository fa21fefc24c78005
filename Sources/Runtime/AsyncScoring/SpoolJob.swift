import Baselines
import Detection
import Features
import FilterCore

/// What the spool keeps about a deferred message besides its bytes: enough to score it in
/// full and to carry out the verdict on the queued message after a restart.
public struct SpoolJob: Sendable, Codable, Equatable {
    /// Unique name in the spool: spool time (nanoseconds, so names sort by age) and queue id.
    public let id: String
    /// Postfix's queue id (the `i` macro at end of message).
    public let queueID: String
    /// Held or delivered while it is scored.
    public let action: DeferAction
    /// Envelope sender ("" for the null sender) and recipients.
    public let sender: String
    public let recipients: [String]
    /// The inline verdict that deferred it.
    public let inline: VerdictSummary
    /// Seconds since 1970 when it was spooled.
    public let spooledAt: Double
    /// Who writes to whom, for the baselines lesson of the full verdict; nil when baselines
    /// are off or the message may not teach.
    public let parties: BaselineQuery?
    /// The inline verdict's name (`VerdictID`), which the full verdict keeps; nil in a job
    /// spooled before verdicts had names.
    public let verdictID: String?

    enum CodingKeys: String, CodingKey {
        case id, action, sender, recipients, inline, parties
        case queueID = "queue_id"
        case spooledAt = "spooled_at"
        case verdictID = "verdict_id"
    }

    public init(id: String, queueID: String, action: DeferAction, sender: String, recipients: [String], inline: VerdictSummary, spooledAt: Double, parties: BaselineQuery? = nil,
                verdictID: String? = nil) {
        self.verdictID = verdictID
        self.id = id
        self.queueID = queueID
        self.action = action
        self.sender = sender
        self.recipients = recipients
        self.inline = inline
        self.spooledAt = spooledAt
        self.parties = parties
    }

    /// The envelope part of the evidence the full pass decides with.
    public var evidence: MessageEvidence {
        MessageEvidence(envelopeSender: MailAddress(parsing: sender), recipients: recipients.compactMap { MailAddress(parsing: $0) })
    }
}

/// A verdict as it is stored and logged.
public struct VerdictSummary: Sendable, Codable, Equatable {
    public let score: Double
    public let decision: Decision
    public let category: ThreatCategory
    public let reasons: [Reason]
    public let model: String

    public init(_ verdict: Verdict) {
        self.score = verdict.score
        self.decision = verdict.decision
        self.category = verdict.category
        self.reasons = verdict.reasons
        self.model = verdict.modelID
    }
}
