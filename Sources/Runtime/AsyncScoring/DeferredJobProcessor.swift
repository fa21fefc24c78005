import Detection
import FilterCore
import Foundation
import Logging

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
    /// Waits between release attempts while the message is not in the hold queue yet:
    /// Postfix moves it there just after the milter's reply, which can be after the verdict.
    public var releaseRetryDelays: [Duration] = [.milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4)]

    public init(spool: Spool, verdictLog: VerdictLog, actions: any HoldQueueActions, store: SnapshotStore, metrics: GannetMetrics, logger: Logger) {
        self.spool = spool
        self.verdictLog = verdictLog
        self.actions = actions
        self.store = store
        self.metrics = metrics
        self.logger = logger
    }

    public func score(_ jobID: String) -> JobScore {
        if let recorded = spool.recordedVerdict(jobID) { return .recorded(recorded) }
        do {
            let (job, bytes) = try spool.read(jobID)
            let message = RawMessage(bytes: bytes)
            return .verdict(message.fullVerdict(evidence: job.evidence, snapshot: store.snapshot))
        } catch {
            return .failed(error.description)
        }
    }

    public func finish(_ jobID: String, _ score: JobScore) {
        let record: VerdictRecord
        if case .recorded(let recorded) = score {
            record = recorded
        } else {
            guard let job = try? spool.read(jobID).job else {
                // Without its job line nothing names the queued message; it stays held.
                metrics.asyncVerdict(.failed, seconds: nil)
                logger.error("spooled job unreadable; its message stays held", metadata: ["job": "\(jobID)"])
                try? spool.remove(jobID)
                return
            }
            record = Self.record(for: job, score: score)
            do {
                try spool.recordVerdict(record)
            } catch {
                // Nothing was carried out yet, so the next start scores it again.
                metrics.internalError("verdict_record")
                logger.error("could not record the verdict; the job stays spooled", metadata: ["job": "\(jobID)", "error": "\(error)"])
                return
            }
        }
        guard carryOut(record) else { return }
        do {
            try verdictLog.append(record)
        } catch {
            metrics.internalError("verdict_log")
            logger.error("could not append to the verdict log", metadata: ["queue_id": "\(record.queueID)", "error": "\(error)"])
        }
        metrics.asyncVerdict(record.outcome, seconds: record.decidedAt - record.spooledAt)
        log(record)
        do {
            try spool.remove(jobID)
        } catch {
            logger.error("could not remove a finished job; the next start repeats its verdict", metadata: ["job": "\(jobID)", "error": "\(error)"])
        }
    }

    static func record(for job: SpoolJob, score: JobScore) -> VerdictRecord {
        switch score {
        case .verdict(let verdict): VerdictRecord(job: job, fullVerdict: verdict)
        case .recorded(let record): record
        case .failed(let detail): VerdictRecord(job: job, outcome: .failed, verdict: nil, detail: detail)
        case .timedOut: VerdictRecord(job: job, outcome: .timeout, verdict: nil, detail: "ASYNC_TIMEOUT")
        }
    }

    /// Releases a clean held message, or hands a malicious delivered one to the hook. False
    /// when that failed: the job and its verdict stay in the spool for the next start.
    private func carryOut(_ record: VerdictRecord) -> Bool {
        if record.releases {
            switch release(record.queueID) {
            case .released:
                return true
            case .notHeld:
                logger.warning("nothing held under this queue id; released before, or never queued", metadata: ["queue_id": "\(record.queueID)"])
                return true
            case .failed(let detail):
                metrics.internalError("release")
                logger.error("release from hold failed; the message stays held and is retried at the next start", metadata: [
                    "queue_id": "\(record.queueID)", "error": "\(detail)",
                ])
                return false
            }
        }
        if record.action == .accept, record.outcome == .malicious, let outcome = actions.remediate(verdictJSON: record.json) {
            if case .failed(let detail) = outcome {
                metrics.internalError("hook")
                logger.error("verdict hook failed; it is retried at the next start", metadata: ["queue_id": "\(record.queueID)", "error": "\(detail)"])
                return false
            }
        }
        return true
    }

    private func release(_ queueID: String) -> ReleaseResult {
        var result = actions.release(queueID: queueID)
        for delay in releaseRetryDelays where result == .notHeld {
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            result = actions.release(queueID: queueID)
        }
        return result
    }

    private func log(_ record: VerdictRecord) {
        let level: Logger.Level = record.outcome == .clean ? .info : .notice
        logger.log(level: level, "full verdict", metadata: [
            "queue_id": "\(record.queueID)",
            "outcome": "\(record.outcome.rawValue)",
            "action": "\(record.releases ? "released" : record.action == .hold ? "kept_held" : "delivered")",
            "score": "\(record.verdict.map { Verdict.formatScore($0.score) } ?? "-")",
            "category": "\(record.verdict?.category.rawValue ?? "-")",
            "reasons": "\((record.verdict?.reasons ?? []).map(\.name).joined(separator: ","))",
            "detail": "\(record.detail ?? "")",
            "async_ms": "\(Int(((record.decidedAt - record.spooledAt) * 1000).rounded()))",
        ])
    }
}
