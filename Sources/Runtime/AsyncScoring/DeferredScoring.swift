import Detection
import FilterCore
import Foundation
import Logging

/// Asynchronous full scoring of deferred messages, as the milter sees it: admit a deferred
/// message at end of message (spooled durably before the milter replies), and resume the
/// spool at start.
public final class DeferredScoring: Sendable {
    public let processor: DeferredJobProcessor
    public let pool: AsyncScoringPool
    public let onQueueFull: QueueFullAction
    private let workers: Int

    public init(settings: AsyncSettings, processor: DeferredJobProcessor) {
        self.processor = processor
        self.onQueueFull = settings.onQueueFull
        self.workers = settings.workers
        let metrics = processor.metrics
        self.pool = AsyncScoringPool(capacity: settings.queueCapacity, timeLimit: settings.timeLimit, processor: processor,
                                     onDepthChange: { metrics.asyncQueueDepth($0) }, onStuckChange: { metrics.asyncWorkersStuck($0) })
    }

    /// What became of a deferred message at end of message.
    public enum Admission: Sendable, Equatable {
        /// Spooled (fsynced) and queued for its full verdict.
        case spooled
        /// Held without scoring (the verdict log says why); the milter must quarantine it.
        case heldUnscored(reason: String)
        /// The queue is full and the policy is to tempfail.
        case tempfail
        /// The spool could not be written; the failure policy answers.
        case failed(String)
    }

    public func admit(_ deferred: DeferredMessage, queueID: String?, evidence: MessageEvidence, now: Double = Date().timeIntervalSince1970) -> Admission {
        let id = queueID.flatMap { QueuedMessage.isQueueID($0) ? $0 : nil } ?? "unknown"
        let job = SpoolJob(id: String(format: "%020.0f", (now * 1e9).rounded()) + "-" + id, queueID: id, action: deferred.action,
                           sender: evidence.envelopeSender?.description ?? "", recipients: evidence.recipients.map(\.description),
                           inline: VerdictSummary(deferred.inline), spooledAt: now, parties: deferred.parties, verdictID: deferred.verdictID)
        guard id != "unknown" else { return holdUnscored(job, reason: "NO_QUEUE_ID") }
        guard let bytes = deferred.bytes else { return holdUnscored(job, reason: deferred.uncaptured ?? "TOO_LARGE_TO_SPOOL") }
        guard pool.reserve() else {
            processor.metrics.asyncQueueFull(onQueueFull)
            if onQueueFull == .tempfail {
                processor.logger.warning("asynchronous queue full; deferred message tempfailed", metadata: ["queue_id": "\(id)"])
                return .tempfail
            }
            return holdUnscored(job, reason: "ASYNC_QUEUE_FULL")
        }
        do {
            try processor.spool.write(job, message: bytes)
        } catch {
            pool.cancelReservation()
            return .failed(error.description)
        }
        pool.enqueue(job.id)
        return .spooled
    }

    /// Queues every job a previous run left in the spool, then starts the workers.
    public func start() -> Int {
        processor.spool.removeOrphanVerdicts()
        let resumed = processor.spool.jobIDs()
        for jobID in resumed { pool.resume(jobID) }
        pool.start(workers: workers)
        return resumed.count
    }

    /// Runs on the milter thread, so the verdict log line (an fsync) is written by the log's
    /// own thread.
    private func holdUnscored(_ job: SpoolJob, reason: String) -> Admission {
        let record = VerdictRecord(job: job, outcome: .unscored, verdict: nil, detail: reason)
        let (metrics, logger) = (processor.metrics, processor.logger)
        processor.verdictLog.appendInBackground(record) { error in
            metrics.internalError("verdict_log")
            logger.error("could not append to the verdict log", metadata: ["queue_id": "\(record.queueID)", "error": "\(error)"])
        }
        processor.metrics.asyncVerdict(.unscored, seconds: nil)
        processor.metrics.heldForReview(.unscored)
        processor.logger.warning("deferred message held without full scoring", metadata: ["queue_id": "\(job.queueID)", "reason": "\(reason)"])
        return .heldUnscored(reason: reason)
    }
}
