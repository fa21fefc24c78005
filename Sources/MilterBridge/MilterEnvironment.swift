import Foundation
import Detection
import FilterCore
import Logging
import Runtime

/// What every milter session shares: the snapshot store, metrics, the logger and the
/// asynchronous scoring that takes deferred messages.
public final class MilterEnvironment: Sendable {
    public let store: SnapshotStore
    public let metrics: GannetMetrics
    public let logger: Logger
    /// Nil only where nothing may be spooled (tests of the milter alone).
    public let deferredScoring: DeferredScoring?
    /// Every decision as a line of JSON (`daemon.decision_log`); nil when off.
    public let decisionLog: DecisionLog?
    /// Behaviour features inline, lessons from final decisions; nil when baselines are off.
    public let baselines: BaselineService?
    /// Postfix services whose mail is our users' outgoing mail (besides SMTP AUTH).
    public let originatingDaemonNames: Set<String>
    /// What all sessions together may keep of their messages; nil: unbounded (tests).
    public let captureBudget: CaptureBudget?
    /// Looks for every hold in Postfix's hold queue; nil when `[verify] holds` is off.
    public let holdVerifier: HoldVerifier?
    /// The tokens of canaries in flight; nil when `[selftest]` is off.
    public let canaries: CanaryBook?

    public init(store: SnapshotStore, metrics: GannetMetrics, logger: Logger, deferredScoring: DeferredScoring? = nil, decisionLog: DecisionLog? = nil,
                baselines: BaselineService? = nil, originatingDaemonNames: Set<String> = [], captureBudget: CaptureBudget? = nil, holdVerifier: HoldVerifier? = nil,
                canaries: CanaryBook? = nil) {
        self.canaries = canaries
        self.captureBudget = captureBudget
        self.holdVerifier = holdVerifier
        self.baselines = baselines
        self.originatingDaemonNames = originatingDaemonNames
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.deferredScoring = deferredScoring
        self.decisionLog = decisionLog
    }

    /// Spools a deferred message before the milter replies. Returns the outcome to carry out,
    /// or the reply to give instead when the message is not taken (queue full with the
    /// tempfail policy, or a spool that cannot be written).
    func admitDeferred(_ outcome: EndOfMessageOutcome, failure: FailureAction) -> (outcome: EndOfMessageOutcome, refusal: MilterReply?) {
        guard let deferred = outcome.deferred, let deferredScoring else { return (outcome, nil) }
        let queueID = outcome.queueID ?? "unknown"
        switch deferredScoring.admit(deferred, queueID: outcome.queueID, evidence: outcome.evidence) {
        case .spooled:
            return (outcome, nil)
        case .heldUnscored(let reason):
            return (outcome.holding(reason: "Gannet unscored \(reason)" + (outcome.verdictID.map { " id=\($0)" } ?? "")), nil)
        case .tempfail:
            return (outcome, .tempfail)
        case .failed(let error):
            metrics.internalError("spool")
            logger.error("could not spool a deferred message; answered with the failure policy", metadata: [
                "queue_id": "\(queueID)", "error": "\(error)", "reply": "\(failure.reply.rawValue)",
            ])
            return (outcome, failure.reply)
        }
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
        if let reason = outcome.internalError {
            metrics.internalError("verdict")
            logger.error("no verdict; answered with the failure policy", metadata: [
                "queue_id": "\(queueID)", "verdict_id": "\(outcome.verdictID ?? "-")", "error": "\(reason)", "reply": "\(carried.reply.rawValue)",
            ])
            return
        }
        guard let verdict = outcome.verdict else {
            metrics.internalError("no_message")
            logger.error("end of message without a message in progress", metadata: ["queue_id": "\(queueID)"])
            return
        }
        metrics.messageDecided(verdict.decision, inline: outcome.inlineDecision ?? verdict.decision, inlineSeconds: inlineSeconds)
        let held = outcome.modifications.contains { if case .quarantine = $0 { true } else { false } }
        // Before the hold is expected, so the canary knows to wait for its confirmation.
        if let canary = outcome.canary { canaries?.milterDecided(canary, verdictID: outcome.verdictID, held: held, carriedOut: carried.error == nil) }
        if let holdVerifier, carried.error == nil, let queueID = outcome.queueID, let verdictID = outcome.verdictID, held {
            holdVerifier.expectHeld(queueID: queueID, verdictID: verdictID, action: outcome.inlineDecision == .defer ? .hold : .quarantine)
        }
        // After the reply was decided: learning never delays the message that teaches.
        if let lesson = outcome.lesson { baselines?.learn(lesson) }
        if let decisionLog {
            let record = DecisionRecord(queueID: queueID, at: Date().timeIntervalSince1970, decision: verdict.decision, inlineDecision: outcome.inlineDecision ?? verdict.decision,
                                        score: verdict.score, category: verdict.category, model: verdict.modelID, reasons: verdict.reasons,
                                        sender: outcome.evidence.envelopeSender?.description ?? "", recipients: outcome.evidence.recipients.map(\.description),
                                        sizeBytes: outcome.sizeBytes, inlineMicroseconds: Int((inlineSeconds * 1_000_000).rounded()), verdictID: outcome.verdictID,
                                        rules: outcome.rulesVersion, baselines: outcome.features.flatMap(DecisionRecord.baselinesConsulted))
            if !decisionLog.append(record) { metrics.decisionLogDropped() }
        }
        logger.info("verdict", metadata: [
            "queue_id": "\(queueID)",
            "verdict_id": "\(outcome.verdictID ?? "-")",
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
