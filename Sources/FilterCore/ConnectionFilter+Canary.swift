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
        var deferred: DeferredMessage?
        if asked.asked != .accept {
            let action = asked.asked == .quarantine ? DeferAction.hold : policy.onDefer
            deferred = DeferredMessage(bytes: current.capture.overflowed ? nil : current.capture.bytes, action: action, inline: pending,
                                       uncaptured: current.capture.dropped == .budgetSpent ? "CAPTURE_BUDGET" : "TOO_LARGE_TO_SPOOL", verdictID: verdictID)
        }
        return EndOfMessageOutcome(queueID: queueID, verdict: verdict, inlineDecision: asked.asked,
                                   modifications: modifications(current, verdict: verdict, headerValue: pending.headerValue, verdictID: verdictID), reply: .continue,
                                   evidence: current.evidence, features: features, sizeBytes: current.headerBytes + current.bodyBytes, deferred: deferred,
                                   verdictID: verdictID, rulesVersion: current.snapshot.engine.rules.rules.version, canary: asked)
    }
}
