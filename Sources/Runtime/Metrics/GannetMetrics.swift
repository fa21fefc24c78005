import Baselines
import Detection
import Features
import FilterCore
import Synchronization

/// The daemon's counters, gauges and histograms, rendered in Prometheus text format.
/// One lock for all of them: a message touches them once, far below contention.
public final class GannetMetrics: Sendable {
    /// Upper bounds (seconds) of the inline decision histogram, around the few-ms budget.
    public static let inlineBuckets: [Double] = [0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.1]

    /// Upper bounds (seconds) of the histogram of time from spool to full verdict.
    public static let asyncBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    public enum ReloadResult: String, Sendable, CaseIterable { case success, failure }

    /// Why a deferred message stays in the hold queue with no verdict that settles it, for a
    /// person to review (`gannet quarantine list` shows the same reason).
    public enum HeldForReview: String, Sendable, CaseIterable {
        /// Never scored: queue full, no queue id, too large to spool.
        case unscored
        case timeout
        case failed
        /// Found clean, but the release found nothing held under its queue id.
        case releaseNotHeld = "release_not_held"
    }

    struct State {
        var messages: [Decision: Int] = [:]
        var inlineDecisions: [Decision: Int] = [:]
        var inlineTime = Histogram(bounds: GannetMetrics.inlineBuckets)
        var sessionsOpen = 0
        var sessionsTotal = 0
        var reloads: [ReloadResult: Int] = [:]
        var internalErrors: [String: Int] = [:]
        var asyncDepth = 0
        var asyncVerdicts: [VerdictRecord.Outcome: Int] = [:]
        var asyncTime = Histogram(bounds: GannetMetrics.asyncBuckets)
        var asyncQueueFull: [QueueFullAction: Int] = [:]
        var asyncWorkersStuck = 0
        var heldForReview: [HeldForReview: Int] = [:]
        /// By action and result (`HoldVerifier`).
        var actions: [HoldVerifier.Outcome: Int] = [:]
        /// Canaries by decision asked and result (`SelftestRunner`).
        var selftests: [SelftestOutcome: Int] = [:]
        var decisionLogDropped = 0
        /// By outcome; nil counts lessons dropped with the learning queue full.
        var baselineLessons: [BaselineObservation.Outcome?: Int] = [:]
        var baselineFallbacks = 0
        /// Read at each scrape for its record count and evictions; nil with another store.
        var embeddedBaselines: EmbeddedBaselineStore?
    }

    private let state = Mutex(State())
    /// Read when scraped: its counters live in the budget itself, which sessions update.
    private let captureBudget = Mutex<CaptureBudget?>(nil)

    public init() {}

    /// One decided message: its final decision, what the inline pass decided, and how long
    /// the inline decision took.
    public func messageDecided(_ decision: Decision, inline: Decision, inlineSeconds: Double) {
        state.withLock { state in
            state.messages[decision, default: 0] += 1
            state.inlineDecisions[inline, default: 0] += 1
            state.inlineTime.observe(inlineSeconds)
        }
    }

    public func sessionOpened() {
        state.withLock {
            $0.sessionsOpen += 1
            $0.sessionsTotal += 1
        }
    }

    public func sessionClosed() {
        state.withLock { $0.sessionsOpen -= 1 }
    }

    public func reloaded(_ result: ReloadResult) {
        state.withLock { $0.reloads[result, default: 0] += 1 }
    }

    /// An internal failure that made a session take the failure policy; `kind` is a short label.
    public func internalError(_ kind: String) {
        state.withLock { $0.internalErrors[kind, default: 0] += 1 }
    }

    /// Deferred messages spooled and not yet finished.
    public func asyncQueueDepth(_ depth: Int) {
        state.withLock { $0.asyncDepth = depth }
    }

    /// A final verdict on a deferred message; `seconds` from spool to verdict, nil when it was never spooled.
    public func asyncVerdict(_ outcome: VerdictRecord.Outcome, seconds: Double?) {
        state.withLock { state in
            state.asyncVerdicts[outcome, default: 0] += 1
            if let seconds { state.asyncTime.observe(seconds) }
        }
    }

    public func watch(_ budget: CaptureBudget) {
        captureBudget.withLock { $0 = budget }
    }

    /// Workers still running a job past its time limit (each was replaced).
    public func asyncWorkersStuck(_ count: Int) {
        state.withLock { $0.asyncWorkersStuck = count }
    }

    public func heldForReview(_ why: HeldForReview) {
        state.withLock { $0.heldForReview[why, default: 0] += 1 }
    }

    /// A milter action checked against Postfix's queue (`HoldVerifier`).
    public func action(_ action: HoldVerifier.Action, _ result: HoldVerifier.Result) {
        state.withLock { $0.actions[HoldVerifier.Outcome(action: action, result: result), default: 0] += 1 }
    }

    public func actionCount(_ action: HoldVerifier.Action, _ result: HoldVerifier.Result) -> Int {
        state.withLock { $0.actions[HoldVerifier.Outcome(action: action, result: result)] ?? 0 }
    }

    /// What became of one canary (`[selftest]`).
    public func selftest(_ canary: Decision, _ result: SelftestResult) {
        state.withLock { $0.selftests[SelftestOutcome(canary: canary, result: result), default: 0] += 1 }
    }

    public func heldForReviewCount(_ why: HeldForReview) -> Int { state.withLock { $0.heldForReview[why] ?? 0 } }

    public func asyncQueueFull(_ action: QueueFullAction) {
        state.withLock { $0.asyncQueueFull[action, default: 0] += 1 }
    }

    /// A decision the decision log's writer was too far behind to take.
    public func decisionLogDropped() {
        state.withLock { $0.decisionLogDropped += 1 }
    }

    /// A lesson learnt (by outcome), or dropped because the learning queue was full (nil).
    public func baselineLesson(_ outcome: BaselineObservation.Outcome?) {
        state.withLock { $0.baselineLessons[outcome, default: 0] += 1 }
    }

    /// An inline lookup the shared store did not answer in budget; the local cache did.
    public func baselineFallback() {
        state.withLock { $0.baselineFallbacks += 1 }
    }

    /// The embedded baselines store, whose size and evictions each scrape reports.
    public func observeBaselines(_ store: EmbeddedBaselineStore) {
        state.withLock { $0.embeddedBaselines = store }
    }

    /// Lessons learnt with `outcome`, or dropped (nil).
    public func baselineLessonCount(_ outcome: BaselineObservation.Outcome?) -> Int { state.withLock { $0.baselineLessons[outcome] ?? 0 } }

    public func asyncVerdictCount(_ outcome: VerdictRecord.Outcome) -> Int { state.withLock { $0.asyncVerdicts[outcome] ?? 0 } }

    public var sessionsOpen: Int { state.withLock { $0.sessionsOpen } }

    public func count(of decision: Decision) -> Int { state.withLock { $0.messages[decision] ?? 0 } }

    public func reloadCount(_ result: ReloadResult) -> Int { state.withLock { $0.reloads[result] ?? 0 } }

    /// Prometheus text exposition format 0.0.4.
    public func prometheusText() -> String {
        let snapshot = state.withLock { $0 }
        let budget = captureBudget.withLock { $0 }
        var out = PrometheusText()
        out.counter("gannet_messages_total", help: "Messages decided, by final decision.", by: "decision",
                    [Decision.accept, .quarantine].map { ($0.rawValue, snapshot.messages[$0] ?? 0) })
        out.counter("gannet_inline_decisions_total", help: "Inline decisions, by decision (defer: handed to full scoring).", by: "decision",
                    Decision.allCases.map { ($0.rawValue, snapshot.inlineDecisions[$0] ?? 0) })
        out.histogram("gannet_inline_decision_seconds", help: "Time from end of message to the inline decision.", snapshot.inlineTime)
        out.gauge("gannet_sessions_open", help: "Milter sessions (SMTP connections) open now.", snapshot.sessionsOpen)
        out.counter("gannet_sessions_total", help: "Milter sessions opened since start.", snapshot.sessionsTotal)
        out.counter("gannet_reloads_total", help: "Configuration and model reloads, by result.", by: "result",
                    ReloadResult.allCases.map { ($0.rawValue, snapshot.reloads[$0] ?? 0) })
        out.counter("gannet_internal_errors_total", help: "Internal failures answered with the failure policy.", by: "kind",
                    snapshot.internalErrors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        out.gauge("gannet_async_queue_depth", help: "Deferred messages spooled and not yet finished.", snapshot.asyncDepth)
        out.counter("gannet_async_verdicts_total", help: "Final verdicts on deferred messages, by outcome.", by: "outcome",
                    VerdictRecord.Outcome.allCases.map { ($0.rawValue, snapshot.asyncVerdicts[$0] ?? 0) })
        out.histogram("gannet_async_verdict_seconds", help: "Time from spooling a deferred message to its final verdict.", snapshot.asyncTime)
        out.counter("gannet_async_queue_full_total", help: "Deferred messages that found the queue full, by the action taken.", by: "action",
                    QueueFullAction.allCases.map { ($0.rawValue, snapshot.asyncQueueFull[$0] ?? 0) })
        out.gauge("gannet_async_workers_stuck", help: "Workers still running a deferred job past its time limit; each was replaced.", snapshot.asyncWorkersStuck)
        out.counter("gannet_async_held_for_review_total", help: "Deferred messages left in the hold queue without a verdict that settles them, by why.", by: "why",
                    HeldForReview.allCases.map { ($0.rawValue, snapshot.heldForReview[$0] ?? 0) })
        out.counter("gannet_actions_total", help: "Holds asked of Postfix, by action and whether its hold queue confirmed them.", labelled:
            HoldVerifier.Action.allCases.flatMap { action in
                HoldVerifier.Result.allCases.map { result in (labels: ["action": action.rawValue, "result": result.rawValue], count: snapshot.actions[HoldVerifier.Outcome(action: action, result: result)] ?? 0) }
            })
        out.counter("gannet_selftest_total", help: "Canary messages sent through the MTA ([selftest]), by the decision each asked for and what became of it.", labelled:
            Decision.allCases.flatMap { canary in
                SelftestResult.allCases.map { result in (labels: ["canary": canary.rawValue, "result": result.rawValue], count: snapshot.selftests[SelftestOutcome(canary: canary, result: result)] ?? 0) }
            })
        out.gauge("gannet_capture_bytes", help: "Bytes of messages in progress kept by all sessions for spooling (milter.capture_budget_bytes bounds it).", budget?.bytesInUse ?? 0)
        out.counter("gannet_capture_budget_refusals_total", help: "Messages that found the capture budget spent (milter.on_capture_budget says what they got).", budget?.refusals ?? 0)
        out.counter("gannet_decision_log_dropped_total", help: "Decisions not written to the decision log because its writer was behind.", snapshot.decisionLogDropped)
        out.counter("gannet_baseline_lessons_total", help: "Final verdicts taught to the baselines, by outcome (dropped: learning queue full).", by: "outcome",
                    [BaselineObservation.Outcome.clean, .flagged, nil].map { ($0?.rawValue ?? "dropped", snapshot.baselineLessons[$0] ?? 0) })
        out.counter("gannet_baseline_fallbacks_total", help: "Inline lookups the shared store did not answer in budget, answered by the local cache.",
                    snapshot.baselineFallbacks)
        out.counter("gannet_baseline_evictions_total", help: "Embedded baselines records evicted, least valuable first, to stay within baselines.max_records.",
                    snapshot.embeddedBaselines?.evictedCount ?? 0)
        if let store = snapshot.embeddedBaselines {
            out.gauge("gannet_baseline_records", help: "Records in the embedded baselines store.", store.recordCount)
        }
        return out.text
    }
}

/// What `gannet_selftest_total` counts.
struct SelftestOutcome: Hashable {
    let canary: Decision
    let result: SelftestResult
}
