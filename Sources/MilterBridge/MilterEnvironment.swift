import Detection
import FilterCore
import Logging
import Runtime

/// What every milter session shares: the snapshot store, metrics and the logger.
public final class MilterEnvironment: Sendable {
    public let store: SnapshotStore
    public let metrics: GannetMetrics
    public let logger: Logger

    public init(store: SnapshotStore, metrics: GannetMetrics, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
    }

    /// Counts and logs one decided message; the log line carries the queue id so it joins
    /// Postfix's own log.
    func record(_ outcome: EndOfMessageOutcome, carried: CarriedOutcome, inlineSeconds: Double, session: MilterSession) {
        let queueID = outcome.queueID ?? "unknown"
        if let error = carried.error {
            metrics.internalError("milter_call")
            logger.error("could not carry out verdict; answered with the failure policy", metadata: [
                "queue_id": "\(queueID)", "error": "\(error)", "reply": "\(carried.reply.rawValue)",
            ])
        }
        guard let verdict = outcome.verdict else {
            metrics.internalError("no_message")
            logger.error("end of message without a message in progress", metadata: ["queue_id": "\(queueID)"])
            return
        }
        metrics.messageDecided(verdict.decision, inline: outcome.inlineDecision ?? verdict.decision, inlineSeconds: inlineSeconds)
        logger.info("verdict", metadata: [
            "queue_id": "\(queueID)",
            "decision": "\(verdict.decision.rawValue)",
            "inline_decision": "\((outcome.inlineDecision ?? verdict.decision).rawValue)",
            "score": "\(Verdict.formatScore(verdict.score))",
            "category": "\(verdict.category.rawValue)",
            "model": "\(verdict.modelID)",
            "reasons": "\(verdict.reasons.map(\.name).joined(separator: ","))",
            "sender": "\(outcome.evidence.envelopeSender?.description ?? "<>")",
            "recipients": "\(outcome.evidence.recipients.count)",
            "client": "\(session.clientAddress)",
            "size": "\(outcome.sizeBytes)",
            "inline_us": "\(Int((inlineSeconds * 1_000_000).rounded()))",
        ])
    }
}
