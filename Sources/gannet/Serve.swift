import ArgumentParser
import FilterCore
import Foundation
import Logging
import MilterBridge
import Runtime
import SystemdSupport

/// `gannet serve`: the milter daemon, in the foreground.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the milter daemon in the foreground (systemd Type=notify).")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Listening socket, overriding milter.socket (unix:PATH or inet:PORT@HOST).")
    var socket: String?

    @Option(name: .customLong("state-dir"), help: "State directory, overriding daemon.state_dir.")
    var stateDirectory: String?

    @Option(name: .long, help: "Model file, overriding detection.model on start and every reload (\"\" for none).")
    var model: String?

    func validate() throws {
        if let socket, MilterSocket(parsing: socket) == nil {
            throw ValidationError("--socket '\(socket)' is not unix:/absolute/path or inet:PORT@HOST")
        }
        if let stateDirectory, !stateDirectory.hasPrefix("/") {
            throw ValidationError("--state-dir must be an absolute path")
        }
    }

    func run() throws {
        // Before any thread exists, so all of them inherit the signal mask (see SignalPipe).
        try SignalPipe.install()

        var config = try options.load()
        let (socket, stateDirectory, model) = (socket.flatMap(MilterSocket.init(parsing:)), stateDirectory, model)
        // Applied again to every reloaded file, so a reload neither loses them nor reports them as changes.
        let overrides: @Sendable (inout GannetConfig) -> Void = { config in
            if let socket { config.milter.socket = socket }
            if let stateDirectory { config.daemon.stateDirectory = stateDirectory }
            if let model { config.detection.modelPath = model }
        }
        overrides(&config)

        LogDestination.bootstrap(level: Logger.Level(rawValue: config.daemon.logLevel.rawValue) ?? .info)
        let logger = Logger(label: "gannet")
        let notifier = SystemdNotifier()
        let metrics = GannetMetrics()
        let store = SnapshotStore(try options.loadSnapshot(config))

        try FileManager.default.createDirectory(atPath: config.daemon.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        if let endpoint = config.metrics.listen {
            let server = try MetricsHTTPServer(endpoint: endpoint, metrics: metrics, logger: logger)
            server.start()
            logger.info("metrics endpoint listening", metadata: ["address": "\(endpoint.host):\(server.port)"])
        }

        let reloader = ReloadCoordinator(configPath: options.config, overrides: overrides, active: config, store: store, metrics: metrics, notifier: notifier, logger: logger)
        let loop = try DaemonLoop(reloader: reloader, notifier: notifier, logger: logger)
        let baselines = try BaselineService.open(config, metrics: metrics, logger: logger)
        if let baselines {
            let inbox = LessonInbox(directory: LessonInbox.directory(for: config))
            try inbox.create()
            baselines.startInbox(inbox)
        }
        // Learns what is queued and writes the last changes, after the milter has stopped.
        defer { baselines?.close() }
        let canaries = config.selftest.enabled ? CanaryBook() : nil
        let holdVerifier = config.verify.enabled ? HoldVerifier(settings: config.verify, metrics: metrics, logger: logger, observer: canaries?.holdObserver) : nil
        holdVerifier?.start()
        let deferredScoring = try Self.deferredScoring(config, store: store, metrics: metrics, logger: logger, baselines: baselines, holdVerifier: holdVerifier, canaries: canaries)
        // After the milter has stopped: lines it handed to the verdict log are written.
        defer { deferredScoring.processor.verdictLog.flush() }
        let resumed = deferredScoring.start()
        if resumed > 0 { logger.notice("resumed spooled deferred messages", metadata: ["jobs": "\(resumed)"]) }
        let decisionLog = try config.daemon.decisionLog.isEmpty ? nil : DecisionLog(path: config.daemon.decisionLog)
        defer { decisionLog?.close() }
        let captureBudget = CaptureBudget(limit: config.milter.captureBudgetBytes, onExhausted: config.milter.onCaptureBudget)
        metrics.watch(captureBudget)
        let environment = MilterEnvironment(store: store, metrics: metrics, logger: logger, deferredScoring: deferredScoring, decisionLog: decisionLog,
                                            baselines: baselines, originatingDaemonNames: Set(config.baselines.originatingDaemonNames), captureBudget: captureBudget,
                                            holdVerifier: holdVerifier, canaries: canaries)
        let milter = try MilterServer(settings: config.milter, environment: environment)
        milter.start(onExit: loop.exitReporter)
        if let canaries { SelftestRunner(settings: config.selftest, book: canaries, metrics: metrics, logger: logger).start() }
        logger.notice("listening", metadata: [
            "socket": "\(config.milter.socket)", "config": "\(options.config ?? "embedded")",
            "model": "\(store.snapshot.engine.modelID)", "baselines": "\(config.baselines.store.rawValue)",
        ])
        notifier.ready(status: ReloadCoordinator.servingStatus(store.snapshot, note: "started"))
        PidFile.write(stateDirectory: config.daemon.stateDirectory)
        defer { PidFile.remove(stateDirectory: config.daemon.stateDirectory) }

        let status = loop.run()
        if let path = config.milter.socket.unixPath { unlink(path) }
        if status != 0 { throw ExitCode(status) }
    }

    /// The spool in `<state_dir>/spool`, the verdict log and the workers that score deferred messages.
    static func deferredScoring(_ config: GannetConfig, store: SnapshotStore, metrics: GannetMetrics, logger: Logger, baselines: BaselineService?,
                                holdVerifier: HoldVerifier?, canaries: CanaryBook?) throws -> DeferredScoring {
        let settings = config.asyncScoring
        let spool = try Spool(directory: config.daemon.stateDirectory + "/spool")
        let verdictLog = try VerdictLog(path: VerdictLogReader.path(for: config))
        let actions = HoldQueueCommands(releaseCommand: settings.releaseCommand, hookCommand: settings.hookCommand, timeLimit: settings.commandTimeLimit)
        var processor = DeferredJobProcessor(spool: spool, verdictLog: verdictLog, actions: actions, store: store, metrics: metrics, logger: logger, baselines: baselines)
        processor.holdVerifier = holdVerifier
        processor.canaries = canaries
        return DeferredScoring(settings: settings, processor: processor)
    }
}
