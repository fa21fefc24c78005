import Baselines
import Foundation
import Synchronization

/// Inline lookups on the calling thread while store maintenance (a prune pass, write-behind
/// taking its changes) runs on a thread of its own, as in the daemon: how long a lookup can
/// wait behind that work, and how long the work takes.
enum LookupsDuringWork {
    struct Outcome<Result> {
        let result: Result
        let workSeconds: Double
        let lookups: Latencies
    }

    static func measure<Result: Sendable>(
        store: EmbeddedBaselineStore,
        queries: [BaselineQuery],
        work: @escaping @Sendable () -> Result
    ) -> Outcome<Result> {
        let run = BackgroundRun<Result>()
        let thread = Thread {
            run.started.store(true, ordering: .releasing)
            let stopwatch = Stopwatch()
            let result = work()
            run.finish(result, seconds: stopwatch.seconds)
        }
        thread.start()
        while !run.started.load(ordering: .acquiring) { sched_yield() }
        var times: [Double] = []
        var sink = 0.0
        let clock = ContinuousClock()
        var index = 0
        var outcome: (Result, Double)?
        // At least one lookup, so work that holds one lock throughout is caught in it.
        repeat {
            let before = clock.now
            sink += store.signals(for: queries[index % queries.count])[.senderMessages]
            times.append(Stopwatch.microseconds(clock.now - before))
            index += 1
            outcome = run.outcome
        } while outcome == nil
        if sink.isNaN { print("") }
        return Outcome(result: outcome!.0, workSeconds: outcome!.1, lookups: Latencies(times))
    }
}

/// What the maintenance thread hands back to the measuring one.
private final class BackgroundRun<Result: Sendable>: Sendable {
    let started = Atomic(false)
    private let done = Mutex<(Result, Double)?>(nil)

    /// The work's result and seconds, once it has finished.
    var outcome: (Result, Double)? { done.withLock { $0 } }

    func finish(_ result: Result, seconds: Double) {
        done.withLock { $0 = (result, seconds) }
    }
}

/// Lookup times in microseconds, sorted.
struct Latencies {
    let sorted: [Double]

    init(_ times: [Double]) {
        sorted = times.sorted()
    }

    var count: Int { sorted.count }
    var max: Double { sorted.last ?? 0 }

    func percentile(_ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    /// "p50 … p99 … max …" for a report line.
    var summary: String {
        String(format: "p50 %.2f µs  p99 %.2f µs  max %.1f µs", percentile(0.5), percentile(0.99), max)
    }
}
