import Baselines
import Detection
import Features
import FilterCore
import Foundation
import Logging
import Synchronization

/// Scores a spooled message in full and carries out the verdict on the queued message:
/// record the verdict durably, act (release from hold, or hand to the hook), log it, then
/// forget the job. A restart between any two steps repeats the same verdict.
public struct DeferredJobProcessor: AsyncJobProcessor {
    public let spool: Spool
    public let verdictLog: VerdictLog
    public let actions: any HoldQueueActions
    public let store: SnapshotStore
    public let metrics: GannetMetrics
    public let logger: Logger
    /// Looked up for the full pass, and taught the final verdict; nil when baselines are off.
    public let baselines: (any BaselineStore)?
    /// Waits between release attempts while the message is not in the hold queue yet:
    /// Postfix moves it there just after the milter's reply, which can be after the verdict.
    public var releaseRetryDelays: [Duration] = [.milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4)]
    /// Waits before trying a failed release or hook again; the last repeats for as long as
    /// it keeps failing. The message stays held meanwhile, and the job keeps its place in
    /// the queue, so a broken release command fills it and brings on the queue-full policy
    /// rather than piling up unseen.
    public var failureRetryDelays: [Duration] = [.seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(600)]
    /// Told of every hold Gannet releases itself, which it then need not look for.
    public var holdVerifier: HoldVerifier?
    /// Told when a canary's full verdict is carried out (`[selftest]`); nil when off.
    public var canaries: CanaryBook?
    private let releaseAttempts = ReleaseAttempts()
    private let failedAttempts = ReleaseAttempts()

    public init(spool: Spool, verdictLog: VerdictLog, actions: any HoldQueueActions, store: SnapshotStore, metrics: GannetMetrics, logger: Logger, baselines: (any BaselineStore)? = nil) {
        self.baselines = baselines
        self.spool = spool
        self.verdictLog = verdictLog
        self.actions = actions
        self.store = store
        self.metrics = metrics
        self.logger = logger
    }

    public func score(_ jobID: String) -> JobScore {
        if let recorded = spool.recordedVerdict(jobID) { return .recorded(recorded) }
        do throws(Spool.ReadError) {
            let (job, bytes) = try spool.read(jobID)
            let message = RawMessage(bytes: bytes)
            // The spool keeps the envelope; the header From, which lists and rules check as
            // the milter did, is in the message itself.
            var evidence = job.evidence
            evidence.headerFrom = message.firstValue(of: "From").flatMap { MailAddress(parsing: $0) }
            let verdict = message.fullVerdict(evidence: evidence, snapshot: store.snapshot, baselines: baselines, at: SpoolTime.epochSeconds(job.spooledAt))
            guard verdict.isFinite else { return .failed("the model gave a score that is not a number (log-odds \(verdict.logOdds))") }
            return .verdict(SelftestCanary.marks(job.inline.reasons) ? verdict.forCanary : verdict)
        } catch .unreadable(let detail) {
            return .unreadable(detail)
        } catch {
            return .failed(error.description)
        }
    }

    public func finish(_ jobID: String, _ score: JobScore) -> JobFinish {
        var record: VerdictRecord
        // A verdict recorded before a restart may have taught the baselines already.
        var teaching: BaselineQuery?
        if case .recorded(let recorded) = score {
            record = recorded
        } else {
            let job: SpoolJob
            do throws(Spool.ReadError) {
                job = try spool.read(jobID).job
            } catch .unreadable(let detail) {
                return readLater(jobID, detail)
            } catch {
                return setAside(jobID, error)
            }
            if case .unreadable(let detail) = score { return readLater(jobID, detail) }
            record = Self.record(for: job, score: score)
            teaching = job.parties
            do {
                try spool.recordVerdict(record)
            } catch {
                // Nothing was carried out yet, so the next start scores it again.
                metrics.internalError("verdict_record")
                logger.error("could not record the verdict; the job stays spooled", metadata: ["job": "\(jobID)", "error": "\(error)"])
                return .done
            }
        }
        switch carryOut(record, jobID: jobID) {
        case .retry(let delay): return .retry(after: delay)
        case .carriedOut: failedAttempts.forget(jobID)
        case .notHeld:
            failedAttempts.forget(jobID)
            record = record.noting(Self.releaseNotHeld)
        }
        if record.action == .hold, let why = Self.heldForReview(record) { metrics.heldForReview(why) }
        if let teaching { teach(teaching, record.outcome) }
        do {
            try verdictLog.append(record)
        } catch {
            metrics.internalError("verdict_log")
            logger.error("could not append to the verdict log", metadata: ["queue_id": "\(record.queueID)", "error": "\(error)"])
        }
        let elapsed = record.decidedAt - record.spooledAt
        metrics.asyncVerdict(record.outcome, seconds: elapsed.isFinite && elapsed >= 0 ? elapsed : nil)
        log(record)
        if SelftestCanary.marks(record.inline.reasons) { canaries?.fullVerdictCarriedOut(record) }
        do {
            try spool.remove(jobID)
        } catch {
            logger.error("could not remove a finished job; the next start repeats its verdict", metadata: ["job": "\(jobID)", "error": "\(error)"])
        }
        return .done
    }

    /// A job file that could not be read is tried again later, as a failed release is: the
    /// message stays held meanwhile and is scored once the file reads.
    private func readLater(_ jobID: String, _ detail: String) -> JobFinish {
        metrics.internalError("spool_read")
        logger.error("spooled job could not be read; tried again later", metadata: ["job": "\(jobID)", "error": "\(detail)"])
        return .retry(after: failureDelay(jobID))
    }

    /// A job file that reads but does not decode will never score: it is kept aside as
    /// `<id>.damaged` and its message, named by the job's name, stays held for review.
    private func setAside(_ jobID: String, _ error: Spool.ReadError) -> JobFinish {
        metrics.asyncVerdict(.failed, seconds: nil)
        metrics.heldForReview(.failed)
        logger.error("spooled job damaged; its message stays held for review", metadata: [
            "job": "\(jobID)", "queue_id": "\(Spool.queueID(ofJob: jobID) ?? "-")", "error": "\(error)",
        ])
        do {
            try spool.setAside(jobID)
        } catch {
            logger.error("could not set the damaged job aside", metadata: ["job": "\(jobID)", "error": "\(error)"])
        }
        return .done
    }

    /// Teaches the baselines a clean or malicious full verdict.
    private func teach(_ parties: BaselineQuery, _ outcome: VerdictRecord.Outcome) {
        guard let baselines else { return }
        switch outcome {
        case .clean: baselines.learn(BaselineObservation(message: parties, outcome: .clean))
        case .malicious: baselines.learn(BaselineObservation(message: parties, outcome: .flagged))
        case .timeout, .failed, .unscored: break
        }
    }

    /// The detail of a clean verdict whose release found nothing held after every retry: the
    /// message may still be held (Postfix was slower than the retries), so it is for review.
    static let releaseNotHeld = "RELEASE_NOT_HELD"

    /// Why a held message's record leaves it held with nothing that settles it, if it does.
    private static func heldForReview(_ record: VerdictRecord) -> GannetMetrics.HeldForReview? {
        switch record.outcome {
        case .timeout: .timeout
        case .failed: .failed
        case .unscored: .unscored
        case .clean: record.detail == releaseNotHeld ? .releaseNotHeld : nil
        case .malicious: nil
        }
    }

    static func record(for job: SpoolJob, score: JobScore) -> VerdictRecord {
        switch score {
        case .verdict(let verdict): VerdictRecord(job: job, fullVerdict: verdict)
        case .recorded(let record): record
        case .failed(let detail), .unreadable(let detail): VerdictRecord(job: job, outcome: .failed, verdict: nil, detail: detail)
        case .timedOut: VerdictRecord(job: job, outcome: .timeout, verdict: nil, detail: "ASYNC_TIMEOUT")
        }
    }

    private enum CarryOut {
        case carriedOut
        /// A release that found nothing held after every retry.
        case notHeld
        /// Not in the hold queue yet, or the command failed: try again after a while, without
        /// holding a worker; the job and its recorded verdict stay in the spool meanwhile.
        case retry(Duration)
    }

    private func failureDelay(_ jobID: String) -> Duration {
        failureRetryDelays[min(failedAttempts.next(jobID), failureRetryDelays.count - 1)]
    }

    private func afterFailure(_ jobID: String) -> CarryOut {
        .retry(failureDelay(jobID))
    }

    /// Releases a clean held message, or hands a malicious delivered one to the hook.
    private func carryOut(_ record: VerdictRecord, jobID: String) -> CarryOut {
        if record.releases {
            // A canary proves its hold only if it is seen held: it waits for the hold queue's
            // confirmation (at most the verifier's deadline) before it is let go.
            if SelftestCanary.marks(record.inline.reasons), holdVerifier?.isAwaiting(queueID: record.queueID) == true {
                return .retry(.seconds(1))
            }
            switch actions.release(queueID: record.queueID) {
            case .released:
                releaseAttempts.forget(jobID)
                holdVerifier?.releasedByGannet(queueID: record.queueID, proven: true)
                return .carriedOut
            case .requested:
                releaseAttempts.forget(jobID)
                holdVerifier?.releasedByGannet(queueID: record.queueID, proven: false)
                return .carriedOut
            case .notHeld:
                let attempt = releaseAttempts.next(jobID)
                if attempt < releaseRetryDelays.count { return .retry(releaseRetryDelays[attempt]) }
                releaseAttempts.forget(jobID)
                logger.warning("nothing held under this queue id; released before, or never queued; listed for review", metadata: ["queue_id": "\(record.queueID)"])
                return .notHeld
            case .failed(let detail):
                releaseAttempts.forget(jobID)
                metrics.internalError("release")
                logger.error("release from hold failed; the message stays held and the release is tried again", metadata: [
                    "queue_id": "\(record.queueID)", "error": "\(detail)",
                ])
                return afterFailure(jobID)
            }
        }
        if record.action == .accept, record.outcome == .malicious, let outcome = actions.remediate(verdictJSON: record.json) {
            if case .failed(let detail) = outcome {
                metrics.internalError("hook")
                logger.error("verdict hook failed; it is tried again", metadata: ["queue_id": "\(record.queueID)", "error": "\(detail)"])
                return afterFailure(jobID)
            }
        }
        return .carriedOut
    }

    private func log(_ record: VerdictRecord) {
        let level: Logger.Level = record.outcome == .clean ? .info : .notice
        logger.log(level: level, "full verdict", metadata: [
            "queue_id": "\(record.queueID)",
            "verdict_id": "\(record.verdictID ?? "-")",
            "outcome": "\(record.outcome.rawValue)",
            "action": "\(record.releases ? "released" : record.action == .hold ? "kept_held" : "delivered")",
            "score": "\(record.verdict.map { Verdict.formatScore($0.score) } ?? "-")",
            "category": "\(record.verdict?.category.rawValue ?? "-")",
            "reasons": "\((record.verdict?.reasons ?? []).map(\.name).joined(separator: ","))",
            "detail": "\(record.detail ?? "")",
            "async_ms": "\(SpoolTime.milliseconds(record.decidedAt - record.spooledAt).map(String.init) ?? "-")",
        ])
    }
}

/// Release attempts that found nothing held yet, per job.
final class ReleaseAttempts: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// The number of earlier attempts, counting this one for next time.
    func next(_ jobID: String) -> Int {
        counts.withLock { counts in
            defer { counts[jobID, default: 0] += 1 }
            return counts[jobID] ?? 0
        }
    }

    func forget(_ jobID: String) {
        _ = counts.withLock { $0.removeValue(forKey: jobID) }
    }
}
