import Detection
import Foundation

/// What a worker makes of one spooled job.
public enum JobScore: Sendable {
    /// The full pass's verdict.
    case verdict(Verdict)
    /// A verdict decided before a restart, to be carried out again as it was.
    case recorded(VerdictRecord)
    /// The job could not be scored.
    case failed(String)
    /// The job's file could not be read, which may pass (EIO, EMFILE): tried again later.
    case unreadable(String)
    /// The full pass took longer than the time limit.
    case timedOut
}

/// What became of a job after `finish`.
public enum JobFinish: Sendable, Equatable {
    case done
    /// Run the job again after a while (its verdict is recorded, so it is not re-scored).
    case retry(after: Duration)
}

/// Scores and finishes spooled jobs for the pool; `DeferredJobProcessor` in the daemon.
public protocol AsyncJobProcessor: Sendable {
    /// Runs the full pass on a worker thread; may take long.
    func score(_ jobID: String) -> JobScore
    /// Records and carries out the result. Called once per run of a job.
    func finish(_ jobID: String, _ score: JobScore) -> JobFinish
}

/// A bounded queue of spooled jobs and the worker threads that score them. Only job names
/// wait in memory (the messages stay on disk), and admission stops at `capacity` jobs not
/// yet finished. A job still scoring at its deadline is finished as timed out; its worker's
/// late result is dropped.
///
/// A thread cannot be stopped from outside, so a worker stuck on a job past its deadline is
/// replaced by a new one, and retires when (if ever) its job returns. Replacements stop while
/// as many workers are stuck as the pool has: each may be spinning on a core, and more
/// threads would only share the same cores.
public final class AsyncScoringPool: @unchecked Sendable {
    public let capacity: Int
    public let timeLimit: Duration
    private let processor: any AsyncJobProcessor
    private let onDepthChange: @Sendable (Int) -> Void
    private let onStuckChange: @Sendable (Int) -> Void

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var waiting: [String] = []
    private var head = 0
    /// Admitted (reserved, waiting or running) and not yet finished.
    private var pending = 0
    /// Jobs being scored, with the instant they time out.
    private var deadlines: [String: ContinuousClock.Instant] = [:]
    /// Jobs to run again, with the instant they are due.
    private var delayed: [String: ContinuousClock.Instant] = [:]
    private var stopped = false
    private var workers = 0
    /// Workers still running a job that timed out.
    private var stuck = 0
    private var threadsStarted = 0

    /// `onStuckChange`: the number of workers stuck on a timed-out job, when it changes.
    public init(capacity: Int, timeLimit: Duration, processor: any AsyncJobProcessor, onDepthChange: @escaping @Sendable (Int) -> Void = { _ in },
                onStuckChange: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.capacity = capacity
        self.timeLimit = timeLimit
        self.processor = processor
        self.onDepthChange = onDepthChange
        self.onStuckChange = onStuckChange
    }

    /// Starts the worker threads and the deadline watcher.
    public func start(workers: Int) {
        condition.withLock { self.workers = workers }
        for _ in 0..<workers { startWorker() }
        let watcher = Thread { [self] in watchDeadlines() }
        watcher.name = "gannet-async-deadlines"
        watcher.start()
    }

    /// Stops the threads once their current job is done; for tests.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    /// Takes a place in the queue for a job about to be spooled; false when the queue is full.
    public func reserve() -> Bool {
        let depth: Int? = condition.withLock {
            guard pending < capacity else { return nil }
            pending += 1
            return pending
        }
        if let depth { onDepthChange(depth) }
        return depth != nil
    }

    /// Gives back a place whose job could not be spooled.
    public func cancelReservation() {
        finished()
    }

    /// Queues a spooled job for which `reserve` succeeded.
    public func enqueue(_ jobID: String) {
        condition.withLock {
            waiting.append(jobID)
            condition.signal()
        }
    }

    /// Queues a job found in the spool at start, whatever the capacity: it is on disk already.
    public func resume(_ jobID: String) {
        let depth = condition.withLock {
            pending += 1
            waiting.append(jobID)
            condition.signal()
            return pending
        }
        onDepthChange(depth)
    }

    /// Jobs admitted and not yet finished.
    public var depth: Int { condition.withLock { pending } }

    private func startWorker() {
        let index = condition.withLock {
            defer { threadsStarted += 1 }
            return threadsStarted
        }
        let thread = Thread { [self] in work() }
        thread.name = "gannet-async-\(index)"
        thread.start()
    }

    private func work() {
        while let jobID = next() {
            let score = processor.score(jobID)
            let stillOurs = condition.withLock { deadlines.removeValue(forKey: jobID) != nil }
            guard stillOurs else {
                if retire() { continue }
                return
            }
            complete(jobID, processor.finish(jobID, score))
        }
    }

    /// Called by a worker whose job timed out, once it returns: whether it works on. It
    /// retires when it was replaced; past the limit some were not, and it takes their place.
    private func retire() -> Bool {
        let (count, unreplaced) = condition.withLock {
            stuck -= 1
            return (stuck, stuck >= workers)
        }
        onStuckChange(count)
        return unreplaced
    }

    /// A worker is stuck on `count` overdue jobs: start as many new ones, up to the limit.
    private func replaceStuck(_ count: Int) {
        let (stuckNow, replacements) = condition.withLock {
            let replacements = max(0, min(count, workers - stuck))
            stuck += count
            return (stuck, replacements)
        }
        onStuckChange(stuckNow)
        for _ in 0..<replacements { startWorker() }
    }

    private func complete(_ jobID: String, _ outcome: JobFinish) {
        switch outcome {
        case .done:
            finished()
        case .retry(let delay):
            condition.withLock { delayed[jobID] = .now + delay }
        }
    }

    private func next() -> String? {
        condition.withLock {
            while head == waiting.count, !stopped { condition.wait() }
            guard !stopped else { return nil }
            let jobID = waiting[head]
            head += 1
            if head > 1_024, head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            deadlines[jobID] = .now + timeLimit
            return jobID
        }
    }

    private func finished() {
        let depth = condition.withLock {
            pending -= 1
            return pending
        }
        onDepthChange(depth)
    }

    /// Finishes jobs past their time limit and queues delayed jobs that are due.
    private func watchDeadlines() {
        while !condition.withLock({ stopped }) {
            usleep(10_000)
            let now = ContinuousClock.now
            let overdue: [String] = condition.withLock {
                let ids = deadlines.filter { $0.value <= now }.map(\.key)
                for id in ids { deadlines[id] = nil }
                let due = delayed.filter { $0.value <= now }.map(\.key)
                for id in due {
                    delayed[id] = nil
                    waiting.append(id)
                    condition.signal()
                }
                return ids
            }
            if !overdue.isEmpty { replaceStuck(overdue.count) }
            for jobID in overdue {
                complete(jobID, processor.finish(jobID, .timedOut))
            }
        }
    }
}
