import Features
import Foundation
import Synchronization

/// The embedded store with write-behind to SQLite: lookups and lessons stay in memory, a
/// background thread writes the changed records every `interval`, and `close()` writes the
/// rest. A crash loses at most the lessons of the last interval. Stale records
/// (`BaselineRecord.isStale`) are pruned at start and every `prunePeriod`, from memory and
/// then from the file; so are records evicted to stay within `maxRecords`.
public final class PersistentBaselineStore: BaselineStore {
    public var memory: EmbeddedBaselineStore { writer.memory }
    private let writer: ChangeWriter
    private let stopping = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let closed = Mutex(false)

    /// Opens (or creates) the database at `path` and loads every record from it that is not
    /// stale at `wallClock()` (seconds since 1970, the time of the records), keeping the most
    /// valuable `maxRecords` of them.
    public init(
        path: String,
        model: BaselineModel = BaselineModel(),
        maxRecords: Int = EmbeddedBaselineStore.defaultMaxRecords,
        interval: Duration = .seconds(5),
        prunePeriod: Duration = .seconds(3600),
        wallClock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) throws(SQLiteError) {
        let database = try BaselineDatabase(path: path)
        let memory = EmbeddedBaselineStore(model: model, records: try database.loadAll().records, maxRecords: maxRecords)
        // Before the first lookup; the first write deletes them from the file.
        memory.prune(at: wallClock())
        writer = ChangeWriter(memory: memory, database: database)
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let thread = Thread { [writer, stopping, stopped] in
            var pruned = ContinuousClock.now
            while stopping.wait(timeout: .now() + seconds) == .timedOut {
                if ContinuousClock.now - pruned >= prunePeriod {
                    writer.memory.prune(at: wallClock())
                    pruned = .now
                }
                writer.write()
            }
            stopped.signal()
        }
        thread.name = "gannet-baselines-write-behind"
        thread.start()
    }

    deinit {
        // Ends the thread if nobody closed the store; without a final write, as a crash would.
        abandon()
    }

    public func signals(for message: BaselineQuery) -> BaselineSignals {
        memory.signals(for: message)
    }

    public func learn(_ observation: BaselineObservation) {
        memory.learn(observation)
    }

    public var recordCount: Int { memory.recordCount }

    /// Writes the records changed since the last write now.
    public func flush() throws(SQLiteError) {
        writer.write()
        if let error = writer.lastError { throw error }
    }

    /// The last write's failure, nil once a write succeeds.
    public var writeError: SQLiteError? { writer.lastError }

    /// Stops write-behind and writes what is left. Later lessons stay in memory only.
    public func close() throws(SQLiteError) {
        abandon()
        try flush()
    }

    /// Stops write-behind without the final write: what a crash leaves behind.
    public func abandon() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first {
            stopping.signal()
            stopped.wait()
        }
    }
}

/// Moves changed and pruned records from memory to the database, one write at a time.
private final class ChangeWriter: Sendable {
    let memory: EmbeddedBaselineStore
    let database: BaselineDatabase
    /// The last write's failure. Also held from taking the changes to writing them, so two
    /// writes cannot land out of order.
    private let state = Mutex<SQLiteError?>(nil)

    init(memory: EmbeddedBaselineStore, database: BaselineDatabase) {
        self.memory = memory
        self.database = database
    }

    var lastError: SQLiteError? { state.withLock { $0 } }

    func write() {
        state.withLock { lastError in
            let changes = memory.takeChanges()
            // After the changes: a record pruned in between is then in both, and deletions
            // are written last.
            let deletions = memory.takeDeletions()
            do throws(SQLiteError) {
                try database.write(changes, deleting: deletions)
                lastError = nil
            } catch {
                // Kept pending, so the next write tries them again.
                memory.markChanged(changes.map(\.0))
                memory.markDeleted(deletions)
                lastError = error
            }
        }
    }
}
