import Baselines
import Features
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
        /// The lookups the scheduler did not preempt: on a loaded machine a preempted lookup
        /// waits a time slice (milliseconds) for a core, which is no lock's doing; waiting for
        /// a lock is a voluntary switch and stays in here.
        let unpreempted: Latencies

        var report: String {
            "\(lookups.count) lookups, \(lookups.summary); \(lookups.count - unpreempted.count) preempted, the rest \(unpreempted.summary)"
        }
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
        var unpreempted: [Double] = []
        var sink = 0.0
        let clock = ContinuousClock()
        var index = 0
        var outcome: (Result, Double)?
        // At least one lookup, so work that holds one lock throughout is caught in it.
        repeat {
            let switches = involuntaryContextSwitches()
            let before = clock.now
            sink += store.signals(for: queries[index % queries.count])[.senderMessages]
            let time = Stopwatch.microseconds(clock.now - before)
            times.append(time)
            if involuntaryContextSwitches() == switches { unpreempted.append(time) }
            index += 1
            outcome = run.outcome
        } while outcome == nil
        if sink.isNaN { print("") }
        return Outcome(result: outcome!.0, workSeconds: outcome!.1, lookups: Latencies(times), unpreempted: Latencies(unpreempted))
    }
}

/// This thread's involuntary context switches so far: times the scheduler took its core away.
private func involuntaryContextSwitches() -> Int {
    var usage = rusage()
    // RUSAGE_THREAD (Linux), which Glibc's Swift module leaves out.
    getrusage(1, &usage)
    return usage.ru_nivcsw
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

    /// "p50 … p99 … p99.9 … max …" for a report line.
    var summary: String {
        String(format: "p50 %.2f µs  p99 %.2f µs  p99.9 %.1f µs  max %.1f µs", percentile(0.5), percentile(0.99), percentile(0.999), max)
    }
}
