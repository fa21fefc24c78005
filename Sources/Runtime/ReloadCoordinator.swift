import FilterCore
import Logging
import Synchronization

/// Reloads the configuration's reloadable parts (lists, verdict policy, model, rules) on
/// request. The new files are parsed, validated and canary-scored aside and swapped in only whole;
/// a failed reload keeps the old snapshot in service, logs why and counts it.
public final class ReloadCoordinator: Sendable {
    private let configPath: String?
    /// Command-line settings that outlive every reload of the file.
    private let overrides: @Sendable (inout GannetConfig) -> Void
    private let store: SnapshotStore
    private let metrics: GannetMetrics
    private let notifier: any ServiceNotifier
    private let logger: Logger
    /// The configuration in service, to tell which restart-only settings a reload saw change.
    private let active: Mutex<GannetConfig>

    public init(configPath: String?, overrides: @escaping @Sendable (inout GannetConfig) -> Void = { _ in }, active: GannetConfig, store: SnapshotStore,
                metrics: GannetMetrics, notifier: any ServiceNotifier, logger: Logger) {
        self.configPath = configPath
        self.overrides = overrides
        self.active = Mutex(active)
        self.store = store
        self.metrics = metrics
        self.notifier = notifier
        self.logger = logger
    }

    public enum Outcome: Sendable, Equatable {
        case reloaded
        case rejected(String)
    }

    /// Loads, validates and swaps. Called from one thread at a time (the daemon's main loop).
    @discardableResult
    public func reload() -> Outcome {
        notifier.reloading(status: "reloading")
        // The embedded configuration cannot change, but the model and rules files it names can.
        var candidate: GannetConfig
        let snapshot: FilterSnapshot
        do {
            candidate = try configPath.map { try GannetConfig.load(path: $0) } ?? GannetConfig()
            overrides(&candidate)
            snapshot = try DetectionLoader.snapshot(candidate)
        } catch {
            metrics.reloaded(.failure)
            logger.error("reload rejected; previous configuration stays in service", metadata: ["reason": "\(error)"])
            notifier.ready(status: Self.servingStatus(store.snapshot, note: "last reload rejected: \(error)"))
            return .rejected("\(error)")
        }
        let previous = active.withLock { current in
            defer { current = candidate }
            return current
        }
        for setting in Self.restartOnlyChanges(from: previous, to: candidate) {
            logger.warning("setting changed but takes effect only on restart", metadata: ["setting": "\(setting)"])
        }
        store.replace(with: snapshot)
        metrics.reloaded(.success)
        logger.info("reloaded", metadata: [
            "config": "\(configPath ?? "embedded")", "model": "\(snapshot.engine.modelID)", "rules": "\(snapshot.engine.rules.rules.rules.count)",
            "blocked": "\(candidate.lists.blockedAddresses.count + candidate.lists.blockedDomains.count)",
            "allowed": "\(candidate.lists.allowedAddresses.count + candidate.lists.allowedDomains.count)",
        ])
        notifier.ready(status: Self.servingStatus(snapshot, note: "reloaded"))
        return .reloaded
    }

    static func restartOnlyChanges(from old: GannetConfig, to new: GannetConfig) -> [String] {
        var changed: [String] = []
        if old.milter != new.milter { changed.append("milter") }
        if old.daemon != new.daemon { changed.append("daemon") }
        if old.metrics != new.metrics { changed.append("metrics") }
        if old.asyncScoring != new.asyncScoring { changed.append("async") }
        if old.baselines != new.baselines { changed.append("baselines") }
        return changed
    }

    /// The one-line STATUS= text.
    public static func servingStatus(_ snapshot: FilterSnapshot, note: String) -> String {
        "serving; model=\(snapshot.engine.modelID); \(note)"
    }
}
