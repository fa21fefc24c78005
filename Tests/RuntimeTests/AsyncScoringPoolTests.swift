import Detection
import Foundation
import Runtime
import Synchronization
import Testing

/// A processor whose jobs behave as their names say: `slow-…` scores for 3 s, `again-…`
/// asks to be run once more.
final class ScriptedProcessor: AsyncJobProcessor {
    let finished = Mutex<[String: String]>([:])
    let runs = Mutex<[String: Int]>([:])

    func score(_ jobID: String) -> JobScore {
        if jobID.hasPrefix("slow") { Thread.sleep(forTimeInterval: 3) }
        return .failed("scripted")
    }

    func finish(_ jobID: String, _ score: JobScore) -> JobFinish {
        let run = runs.withLock { runs in
            runs[jobID, default: 0] += 1
            return runs[jobID]!
        }
        if jobID.hasPrefix("again"), run == 1 { return .retry(after: .milliseconds(50)) }
        let label = if case .timedOut = score { "timeout" } else { "scored" }
        finished.withLock { $0[jobID] = label }
        return .done
    }

    var count: Int { finished.withLock { $0.count } }
}

/// A processor whose `blocked-…` jobs do not return until `unblock()`; the rest score at once.
/// Unchecked: `open` is guarded by `gate`.
final class BlockingProcessor: AsyncJobProcessor, @unchecked Sendable {
    let finished = Mutex<[String: String]>([:])
    private let gate = NSCondition()
    private var open = false

    func score(_ jobID: String) -> JobScore {
        if jobID.hasPrefix("blocked") { gate.withLock { while !open { gate.wait() } } }
        return .failed("scripted")
    }

    func finish(_ jobID: String, _ score: JobScore) -> JobFinish {
        let label = if case .timedOut = score { "timeout" } else { "scored" }
        finished.withLock { $0[jobID] = label }
        return .done
    }

    func unblock() {
        gate.withLock {
            open = true
            gate.broadcast()
        }
    }
}

/// The stuck-worker counts a pool reported, in order.
final class StuckCounts: Sendable {
    let counts = Mutex<[Int]>([])
}

@Suite struct AsyncScoringPoolTests {
    static func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<300 where !condition() { usleep(20_000) }
        return condition()
    }

    @Test func admissionStopsAtCapacityAndReopensAsJobsFinish() {
        let processor = ScriptedProcessor()
        let pool = AsyncScoringPool(capacity: 2, timeLimit: .seconds(30), processor: processor)
        defer { pool.stop() }
        #expect(pool.reserve())
        #expect(pool.reserve())
        #expect(!pool.reserve())
        pool.cancelReservation()
        #expect(pool.reserve())
        pool.enqueue("a")
        pool.enqueue("b")
        pool.start(workers: 2)
        #expect(Self.waitUntil { pool.depth == 0 })
        #expect(processor.finished.withLock { $0 } == ["a": "scored", "b": "scored"])
        #expect(pool.reserve())
    }

    @Test func aJobPastItsTimeLimitIsFinishedAsTimedOutOnce() {
        let processor = ScriptedProcessor()
        let pool = AsyncScoringPool(capacity: 10, timeLimit: .milliseconds(200), processor: processor)
        defer { pool.stop() }
        #expect(pool.reserve())
        pool.enqueue("slow-1")
        #expect(pool.reserve())
        pool.enqueue("quick-1")
        pool.start(workers: 2)
        #expect(Self.waitUntil { processor.count == 2 })
        #expect(processor.finished.withLock { $0 } == ["slow-1": "timeout", "quick-1": "scored"])
        // The slow worker's late result is dropped, not finished a second time.
        Thread.sleep(forTimeInterval: 3.2)
        #expect(processor.finished.withLock { $0["slow-1"] } == "timeout")
        #expect(pool.depth == 0)
    }

    /// One worker with a 100 ms time limit, running `ids`, counting stuck workers into `stuck`.
    static func oneWorkerPool(running ids: [String], processor: BlockingProcessor, stuck: StuckCounts) -> AsyncScoringPool {
        let pool = AsyncScoringPool(capacity: 10, timeLimit: .milliseconds(100), processor: processor, onStuckChange: { count in stuck.counts.withLock { $0.append(count) } })
        for id in ids {
            #expect(pool.reserve())
            pool.enqueue(id)
        }
        pool.start(workers: 1)
        return pool
    }

    /// A job that never returns once kept its worker for good: with one worker, nothing else
    /// was ever scored again.
    @Test func aWorkerStuckPastTheTimeLimitIsReplaced() {
        let processor = BlockingProcessor(), stuck = StuckCounts()
        let pool = Self.oneWorkerPool(running: ["blocked-1", "a", "b"], processor: processor, stuck: stuck)
        defer {
            pool.stop()
            processor.unblock()
        }
        #expect(Self.waitUntil { processor.finished.withLock { $0 } == ["blocked-1": "timeout", "a": "scored", "b": "scored"] }, "\(processor.finished.withLock { $0 })")
        #expect(pool.depth == 0)
        #expect(stuck.counts.withLock { $0 } == [1])
        // Once its job returns, the stuck worker retires: one worker again, none stuck.
        processor.unblock()
        #expect(Self.waitUntil { stuck.counts.withLock { $0 } == [1, 0] })
        #expect(pool.reserve())
        pool.enqueue("c")
        #expect(Self.waitUntil { processor.finished.withLock { $0["c"] } == "scored" })
    }

    /// Past the limit (as many stuck as workers) no more threads start; a stuck worker whose
    /// job returns then works on in the place of the one not replaced.
    @Test func replacementsStopAtAsManyStuckAsWorkers() {
        let processor = BlockingProcessor(), stuck = StuckCounts()
        let pool = Self.oneWorkerPool(running: ["blocked-1", "blocked-2", "a"], processor: processor, stuck: stuck)
        defer {
            pool.stop()
            processor.unblock()
        }
        #expect(Self.waitUntil { stuck.counts.withLock { $0 } == [1, 2] })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(processor.finished.withLock { $0["a"] } == nil, "a third thread was started past the limit")
        processor.unblock()
        #expect(Self.waitUntil { processor.finished.withLock { $0["a"] } == "scored" })
        #expect(Self.waitUntil { stuck.counts.withLock { $0.last } == 0 })
    }

    @Test func aJobThatAsksToBeRunAgainKeepsItsPlaceUntilDone() {
        let processor = ScriptedProcessor()
        let pool = AsyncScoringPool(capacity: 1, timeLimit: .seconds(30), processor: processor)
        defer { pool.stop() }
        #expect(pool.reserve())
        pool.enqueue("again-1")
        pool.start(workers: 1)
        #expect(Self.waitUntil { processor.count == 1 })
        #expect(processor.runs.withLock { $0["again-1"] } == 2)
        #expect(Self.waitUntil { pool.depth == 0 })
    }

    @Test func resumedJobsAreQueuedWhateverTheCapacity() {
        let processor = ScriptedProcessor()
        let depths = Mutex<[Int]>([])
        let pool = AsyncScoringPool(capacity: 1, timeLimit: .seconds(30), processor: processor) { depth in depths.withLock { $0.append(depth) } }
        defer { pool.stop() }
        for id in ["r1", "r2", "r3"] { pool.resume(id) }
        #expect(pool.depth == 3)
        #expect(!pool.reserve())
        pool.start(workers: 1)
        #expect(Self.waitUntil { processor.count == 3 })
        #expect(Self.waitUntil { pool.depth == 0 })
        #expect(depths.withLock { $0.prefix(3) } == [1, 2, 3])
    }
}
