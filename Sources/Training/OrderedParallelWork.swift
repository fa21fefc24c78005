import Dispatch
import Foundation
import Synchronization

/// Work over a list on several threads whose results are handed on in the list's order, each
/// as soon as it and everything before it is done: output is byte for byte what one thread
/// would write, and starts before the last item is finished.
public enum OrderedParallelWork {
    /// One worker per core: what `--jobs` defaults to.
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `work` on every item with up to `jobs` threads; `deliver` gets the results in item
    /// order, one at a time.
    public static func run<Item: Sendable, Output: Sendable>(
        _ items: [Item], jobs: Int, work: @Sendable (Item) -> Output, deliver: @Sendable (Output) -> Void
    ) {
        let state = Mutex(Progress<Output>())
        let workers = max(1, min(jobs, items.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = state.withLock({ $0.claim(below: items.count) }) {
                let output = work(items[index])
                // Delivered under the lock, so outputs never interleave and keep their order.
                state.withLock { progress in
                    progress.finished[index] = output
                    while let next = progress.finished.removeValue(forKey: progress.nextToDeliver) {
                        deliver(next)
                        progress.nextToDeliver += 1
                    }
                }
            }
        }
    }

    /// Like `run`, collecting the results in item order.
    public static func map<Item: Sendable, Output: Sendable>(_ items: [Item], jobs: Int, work: @Sendable (Item) -> Output) -> [Output] {
        let results = Mutex([Output]())
        run(items, jobs: jobs, work: work) { output in results.withLock { $0.append(output) } }
        return results.withLock { $0 }
    }

    private struct Progress<Output> {
        var nextToClaim = 0
        var nextToDeliver = 0
        /// Results finished ahead of an earlier item still being worked on.
        var finished: [Int: Output] = [:]

        mutating func claim(below count: Int) -> Int? {
            guard nextToClaim < count else { return nil }
            defer { nextToClaim += 1 }
            return nextToClaim
        }
    }
}
