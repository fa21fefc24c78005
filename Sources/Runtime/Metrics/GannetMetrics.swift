import Baselines
import Detection
import Features
import Synchronization

/// The daemon's counters, gauges and histograms, rendered in Prometheus text format.
/// One lock for all of them: a message touches them once, far below contention.
public final class GannetMetrics: Sendable {
    /// Upper bounds (seconds) of the inline decision histogram, around the few-ms budget.
    public static let inlineBuckets: [Double] = [0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.1]

    /// Upper bounds (seconds) of the histogram of time from spool to full verdict.
    public static let asyncBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    public enum ReloadResult: String, Sendable, CaseIterable { case success, failure }

    struct State {
        var messages: [Decision: Int] = [:]
        var inlineDecisions: [Decision: Int] = [:]
        var inlineBucketCounts = [Int](repeating: 0, count: GannetMetrics.inlineBuckets.count)
        var inlineCount = 0
        var inlineSum = 0.0
        var sessionsOpen = 0
        var sessionsTotal = 0
        var reloads: [ReloadResult: Int] = [:]
        var internalErrors: [String: Int] = [:]
        var asyncDepth = 0
        var asyncVerdicts: [VerdictRecord.Outcome: Int] = [:]
        var asyncBucketCounts = [Int](repeating: 0, count: GannetMetrics.asyncBuckets.count)
        var asyncCount = 0
        var asyncSum = 0.0
        var asyncQueueFull: [QueueFullAction: Int] = [:]
        var decisionLogDropped = 0
        var baselineLessons: [String: Int] = [:]
        var baselineFallbacks = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// One decided message: its final decision, what the inline pass decided, and how long
    /// the inline decision took.
    public func messageDecided(_ decision: Decision, inline: Decision, inlineSeconds: Double) {
        state.withLock { state in
            state.messages[decision, default: 0] += 1
            state.inlineDecisions[inline, default: 0] += 1
            state.inlineCount += 1
            state.inlineSum += inlineSeconds
            if let bucket = Self.inlineBuckets.firstIndex(where: { inlineSeconds <= $0 }) {
                state.inlineBucketCounts[bucket] += 1
            }
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
            guard let seconds else { return }
            state.asyncCount += 1
            state.asyncSum += seconds
            if let bucket = Self.asyncBuckets.firstIndex(where: { seconds <= $0 }) { state.asyncBucketCounts[bucket] += 1 }
        }
    }

    public func asyncQueueFull(_ action: QueueFullAction) {
        state.withLock { $0.asyncQueueFull[action, default: 0] += 1 }
    }

    /// A decision the decision log's writer was too far behind to take.
    public func decisionLogDropped() {
        state.withLock { $0.decisionLogDropped += 1 }
    }

    /// A lesson learnt (by outcome), or dropped because the learning queue was full (nil).
    public func baselineLesson(_ outcome: BaselineObservation.Outcome?) {
        let label = switch outcome {
        case .clean?: "clean"
        case .flagged?: "flagged"
        case nil: "dropped"
        }
        state.withLock { $0.baselineLessons[label, default: 0] += 1 }
    }

    /// An inline lookup the shared store did not answer in budget; the local cache did.
    public func baselineFallback() {
        state.withLock { $0.baselineFallbacks += 1 }
    }

    public func baselineLessonCount(_ label: String) -> Int { state.withLock { $0.baselineLessons[label] ?? 0 } }

    public func asyncVerdictCount(_ outcome: VerdictRecord.Outcome) -> Int { state.withLock { $0.asyncVerdicts[outcome] ?? 0 } }

    public var sessionsOpen: Int { state.withLock { $0.sessionsOpen } }

    public func count(of decision: Decision) -> Int { state.withLock { $0.messages[decision] ?? 0 } }

    public func reloadCount(_ result: ReloadResult) -> Int { state.withLock { $0.reloads[result] ?? 0 } }

    /// Prometheus text exposition format 0.0.4.
    public func prometheusText() -> String {
        let snapshot = state.withLock { $0 }
        var out = ""
        out += "# HELP gannet_messages_total Messages decided, by final decision.\n# TYPE gannet_messages_total counter\n"
        for decision in [Decision.accept, .quarantine] {
            out += "gannet_messages_total{decision=\"\(decision.rawValue)\"} \(snapshot.messages[decision] ?? 0)\n"
        }
        out += "# HELP gannet_inline_decisions_total Inline decisions, by decision (defer: handed to full scoring).\n# TYPE gannet_inline_decisions_total counter\n"
        for decision in Decision.allCases {
            out += "gannet_inline_decisions_total{decision=\"\(decision.rawValue)\"} \(snapshot.inlineDecisions[decision] ?? 0)\n"
        }
        out += "# HELP gannet_inline_decision_seconds Time from end of message to the inline decision.\n# TYPE gannet_inline_decision_seconds histogram\n"
        var cumulative = 0
        for (bound, count) in zip(Self.inlineBuckets, snapshot.inlineBucketCounts) {
            cumulative += count
            out += "gannet_inline_decision_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "gannet_inline_decision_seconds_bucket{le=\"+Inf\"} \(snapshot.inlineCount)\n"
        out += "gannet_inline_decision_seconds_sum \(snapshot.inlineSum)\n"
        out += "gannet_inline_decision_seconds_count \(snapshot.inlineCount)\n"
        out += "# HELP gannet_sessions_open Milter sessions (SMTP connections) open now.\n# TYPE gannet_sessions_open gauge\n"
        out += "gannet_sessions_open \(snapshot.sessionsOpen)\n"
        out += "# HELP gannet_sessions_total Milter sessions opened since start.\n# TYPE gannet_sessions_total counter\n"
        out += "gannet_sessions_total \(snapshot.sessionsTotal)\n"
        out += "# HELP gannet_reloads_total Configuration and model reloads, by result.\n# TYPE gannet_reloads_total counter\n"
        for result in ReloadResult.allCases {
            out += "gannet_reloads_total{result=\"\(result.rawValue)\"} \(snapshot.reloads[result] ?? 0)\n"
        }
        out += "# HELP gannet_internal_errors_total Internal failures answered with the failure policy.\n# TYPE gannet_internal_errors_total counter\n"
        for (kind, count) in snapshot.internalErrors.sorted(by: { $0.key < $1.key }) {
            out += "gannet_internal_errors_total{kind=\"\(kind)\"} \(count)\n"
        }
        out += "# HELP gannet_async_queue_depth Deferred messages spooled and not yet finished.\n# TYPE gannet_async_queue_depth gauge\n"
        out += "gannet_async_queue_depth \(snapshot.asyncDepth)\n"
        out += "# HELP gannet_async_verdicts_total Final verdicts on deferred messages, by outcome.\n# TYPE gannet_async_verdicts_total counter\n"
        for outcome in VerdictRecord.Outcome.allCases {
            out += "gannet_async_verdicts_total{outcome=\"\(outcome.rawValue)\"} \(snapshot.asyncVerdicts[outcome] ?? 0)\n"
        }
        out += "# HELP gannet_async_verdict_seconds Time from spooling a deferred message to its final verdict.\n# TYPE gannet_async_verdict_seconds histogram\n"
        cumulative = 0
        for (bound, count) in zip(Self.asyncBuckets, snapshot.asyncBucketCounts) {
            cumulative += count
            out += "gannet_async_verdict_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "gannet_async_verdict_seconds_bucket{le=\"+Inf\"} \(snapshot.asyncCount)\n"
        out += "gannet_async_verdict_seconds_sum \(snapshot.asyncSum)\n"
        out += "gannet_async_verdict_seconds_count \(snapshot.asyncCount)\n"
        out += "# HELP gannet_async_queue_full_total Deferred messages that found the queue full, by the action taken.\n# TYPE gannet_async_queue_full_total counter\n"
        for action in QueueFullAction.allCases {
            out += "gannet_async_queue_full_total{action=\"\(action.rawValue)\"} \(snapshot.asyncQueueFull[action] ?? 0)\n"
        }
        out += "# HELP gannet_decision_log_dropped_total Decisions not written to the decision log because its writer was behind.\n# TYPE gannet_decision_log_dropped_total counter\n"
        out += "gannet_decision_log_dropped_total \(snapshot.decisionLogDropped)\n"
        out += "# HELP gannet_baseline_lessons_total Final verdicts taught to the baselines, by outcome (dropped: learning queue full).\n# TYPE gannet_baseline_lessons_total counter\n"
        for label in ["clean", "flagged", "dropped"] {
            out += "gannet_baseline_lessons_total{outcome=\"\(label)\"} \(snapshot.baselineLessons[label] ?? 0)\n"
        }
        out += "# HELP gannet_baseline_fallbacks_total Inline lookups the shared store did not answer in budget, answered by the local cache.\n# TYPE gannet_baseline_fallbacks_total counter\n"
        out += "gannet_baseline_fallbacks_total \(snapshot.baselineFallbacks)\n"
        return out
    }
}
