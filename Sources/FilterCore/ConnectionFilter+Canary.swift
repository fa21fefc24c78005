import Detection
import Features

extension ConnectionFilter {
    /// A canary gets the decision it asks for, whatever its score, so that each decision's
    /// action is proven with a harmless message. Its verdict is still made (the score and
    /// reasons are logged), it teaches no baselines, and a held canary is spooled for full
    /// scoring, which releases it (`SelftestCanary.marks`): a quarantine canary leaves nothing
    /// in the hold queue once its hold is confirmed.
    static func canaryOutcome(_ current: MessageInProgress, inline: Verdict, asked: CanaryNote, features: FeatureVector, queueID: String?, verdictID: String) -> EndOfMessageOutcome {
        let policy = current.snapshot.policy
        let reasons = [SelftestCanary.reason] + inline.reasons
        let decision = asked.asked == .defer ? policy.onDefer.decision : asked.asked
        let verdict = Verdict(score: inline.score, logOdds: inline.logOdds, decision: decision, category: .policy, reasons: reasons, modelID: inline.modelID)
        let pending = Verdict(score: inline.score, logOdds: inline.logOdds, decision: asked.asked, category: .policy, reasons: reasons, modelID: inline.modelID)
        let deferred = asked.asked == .accept ? nil
            : current.deferred(action: asked.asked == .quarantine ? .hold : policy.onDefer, inline: pending, parties: nil, verdictID: verdictID)
        return EndOfMessageOutcome(queueID: queueID, verdict: verdict, inlineDecision: asked.asked,
                                   modifications: modifications(current, verdict: verdict, headerValue: pending.headerValue, verdictID: verdictID), reply: .continue,
                                   evidence: current.evidence, features: features, sizeBytes: current.headerBytes + current.bodyBytes, deferred: deferred,
                                   verdictID: verdictID, rulesVersion: current.snapshot.engine.rules.rules.version, canary: asked)
    }
}
