import Baselines
import Dispatch
import Features
import Foundation
import Logging
import Synchronization

/// The daemon's baselines: the configured store, looked up inline, and a queue of lessons
/// learnt on a thread of their own, so that a Redis round trip or a burst of verdicts never
/// holds up a milter thread. Lessons past the queue's capacity are dropped and counted.
public final class BaselineService: BaselineStore {
    private let store: any BaselineStore
    /// The embedded store's write-behind, closed (final write) at shutdown.
    private let persistent: PersistentBaselineStore?
    private let learning = DispatchQueue(label: "gannet-baselines-learning")
    private let waiting = Atomic<Int>(0)
    private let capacity: Int
    private let metrics: GannetMetrics
    private let logger: Logger
    /// Ends the inbox thread at `close`.
    private let stopping = DispatchSemaphore(value: 0)
    private let inboxStopped = Mutex<DispatchSemaphore?>(nil)

    /// Opens the store `config` names; nil when baselines are off.
    public static func open(_ config: GannetConfig, metrics: GannetMetrics, logger: Logger) throws(ConfigError) -> BaselineService? {
        let settings = config.baselines
        switch settings.store {
        case .off:
            return nil
        case .redis:
            return BaselineService(store: RedisBaselineStore(model: BaselineModel(settings: settings.model), settings: settings.redis), persistent: nil,
                                   capacity: settings.learnQueueCapacity, metrics: metrics, logger: logger)
        case .embedded:
            let path = databasePath(config)
            let model = BaselineModel(settings: settings.model)
            let interval = Duration.seconds(settings.writeBehindSeconds)
            do {
                let store = try openDamagedAside(path: path, logger: logger) { () throws(SQLiteError) in
                    try PersistentBaselineStore(path: path, model: model, maxRecords: settings.maxRecords, interval: interval)
                }
                metrics.observeBaselines(store.memory)
                return BaselineService(store: store, persistent: store, capacity: settings.learnQueueCapacity, metrics: metrics, logger: logger)
            } catch {
                throw ConfigError(file: path, position: nil, message: "cannot open the baselines database: \(error)")
            }
        }
    }

    /// Opens the database; a damaged file is moved aside (kept for a look) and a new one
    /// started, since history is worth less than mail that keeps flowing. A file that cannot
    /// be reached at all (permissions, disk) stays an error for the administrator.
    static func openDamagedAside<Store>(path: String, logger: Logger, _ open: () throws(SQLiteError) -> Store) throws(SQLiteError) -> Store {
        do {
            return try open()
        } catch where error.isDamagedFile {
            let aside = path + ".damaged-\(Int(Date().timeIntervalSince1970))"
            guard rename(path, aside) == 0 else { throw error }
            for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
            logger.error("baselines database damaged; moved aside, starting with empty baselines", metadata: ["path": "\(path)", "moved_to": "\(aside)", "error": "\(error)"])
            return try open()
        }
    }

    /// The configured store as tools outside the daemon see it, without teaching it: the
    /// embedded store's file as last written behind, or Redis with time for a person to wait.
    /// Nil when baselines are off.
    public static func lookup(_ config: GannetConfig) throws(ConfigError) -> (lookup: any BaselineLookup, source: String)? {
        let model = BaselineModel(settings: config.baselines.model)
        switch config.baselines.store {
        case .off:
            return nil
        case .embedded:
            let path = databasePath(config)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConfigError(file: path, position: nil, message: "no baselines database (the daemon creates it at start)")
            }
            do {
                return (try DatabaseBaselineLookup(path: path, model: model), "embedded store \(path), as last written behind")
            } catch {
                throw ConfigError(file: path, position: nil, message: "cannot open the baselines database: \(error)")
            }
        case .redis:
            var settings = config.baselines.redis
            settings.lookupTimeout = .seconds(2)
            return (RedisBaselineStore(model: model, settings: settings), "Redis at \(settings.host):\(settings.port)")
        }
    }

    /// The embedded store's SQLite file.
    public static func databasePath(_ config: GannetConfig) -> String {
        config.baselines.path.isEmpty ? config.daemon.stateDirectory + "/baselines.sqlite" : config.baselines.path
    }

    init(store: any BaselineStore, persistent: PersistentBaselineStore?, capacity: Int, metrics: GannetMetrics, logger: Logger) {
        self.store = store
        self.persistent = persistent
        self.capacity = capacity
        self.metrics = metrics
        self.logger = logger
    }

    public func signals(for message: BaselineQuery) -> BaselineSignals {
        let signals = store.signals(for: message)
        if signals[.storeFallback] == 1 { metrics.baselineFallback() }
        return signals
    }

    /// Queues a lesson; returns at once.
    public func learn(_ observation: BaselineObservation) {
        guard waiting.add(1, ordering: .relaxed).newValue <= capacity else {
            waiting.subtract(1, ordering: .relaxed)
            metrics.baselineLesson(nil)
            return
        }
        learning.async { [self] in
            store.learn(observation)
            waiting.subtract(1, ordering: .relaxed)
            metrics.baselineLesson(observation.outcome)
        }
    }

    /// Takes in the inbox's lessons every `interval` on a thread of its own, until `close`.
    public func startInbox(_ inbox: LessonInbox, every interval: Duration = .seconds(2)) {
        let stopped = DispatchSemaphore(value: 0)
        inboxStopped.withLock { $0 = stopped }
        let seconds = interval.seconds
        let thread = Thread { [self, stopping] in
            repeat {
                let (taught, unreadable) = inbox.deliver(to: self)
                if taught > 0 { logger.info("baselines lessons taken in", metadata: ["lessons": "\(taught)", "directory": "\(inbox.directory)"]) }
                if unreadable > 0 { logger.warning("unreadable baselines lessons removed", metadata: ["files": "\(unreadable)", "directory": "\(inbox.directory)"]) }
            } while stopping.wait(timeout: .now() + seconds) == .timedOut
            stopped.signal()
        }
        thread.name = "gannet-baselines-inbox"
        thread.start()
    }

    /// Learns every queued lesson, then writes the embedded store's last changes.
    public func close() {
        if let stopped = inboxStopped.withLock({ $0 }) {
            stopping.signal()
            stopped.wait()
        }
        drain()
        guard let persistent else { return }
        do {
            try persistent.close()
        } catch {
            logger.error("could not write the last baselines changes", metadata: ["error": "\(error)"])
        }
    }

    /// Waits until every lesson queued so far has been learnt (tests, `close`).
    public func drain() {
        learning.sync {}
    }
}
