import Detection
import FilterCore
import Foundation

/// The final verdict on a deferred message: written to the spool (fsynced) before it is
/// carried out, so a restart carries out the same verdict again rather than a new one, and
/// appended to the verdict log once carried out.
public struct VerdictRecord: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The full pass found it clean: released (hold) or left delivered (accept).
        case clean
        /// The full pass found an attack: kept held, or handed to the hook.
        case malicious
        /// The full pass took longer than the time limit: kept held.
        case timeout
        /// The message could not be read or scored: kept held.
        case failed
        /// Never scored (queue full, no queue id, too large to spool): kept held.
        case unscored
    }

    public let jobID: String
    public let queueID: String
    public let outcome: Outcome
    /// Held or delivered while it was scored.
    public let action: DeferAction
    /// The full verdict; nil when there is none (timeout, failure, unscored).
    public let verdict: VerdictSummary?
    public let inline: VerdictSummary
    public let sender: String
    public let recipients: [String]
    /// Why there is no verdict, or what went wrong (also in carrying out a verdict).
    public private(set) var detail: String?
    public let spooledAt: Double
    public let decidedAt: Double
    /// The name the inline verdict gave the message (`VerdictID`); nil before names.
    public let verdictID: String?

    enum CodingKeys: String, CodingKey {
        case outcome, action, verdict, inline, sender, recipients, detail
        case verdictID = "verdict_id"
        case jobID = "job_id"
        case queueID = "queue_id"
        case spooledAt = "spooled_at"
        case decidedAt = "decided_at"
    }

    public init(job: SpoolJob, outcome: Outcome, verdict: Verdict?, detail: String? = nil, decidedAt: Double = Date().timeIntervalSince1970) {
        self.jobID = job.id
        self.queueID = job.queueID
        self.outcome = outcome
        self.action = job.action
        self.verdict = verdict.map(VerdictSummary.init)
        self.inline = job.inline
        self.sender = job.sender
        self.recipients = job.recipients
        self.detail = detail
        self.spooledAt = job.spooledAt
        self.decidedAt = decidedAt
        self.verdictID = job.verdictID
    }

    /// The record for a full verdict.
    public init(job: SpoolJob, fullVerdict verdict: Verdict) {
        self.init(job: job, outcome: verdict.decision == .quarantine ? .malicious : .clean, verdict: verdict)
    }

    /// The same record, noting what carrying it out found.
    func noting(_ detail: String) -> VerdictRecord {
        var noted = self
        noted.detail = detail
        return noted
    }

    /// Only a clean full verdict lets a held message go.
    public var releases: Bool { outcome == .clean && action == .hold }

    /// One line of JSON, keys sorted, as the verdict log and the hook receive it.
    public var json: [UInt8] {
        (try? RecordJSON.encoder().encode(self)).map(Array.init) ?? Array(#"{"error":"unencodable verdict"}"#.utf8)
    }
}
