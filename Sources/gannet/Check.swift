import ArgumentParser
import Detection
import FilterCore
import Foundation
import Runtime

/// `gannet check`: the daemon's own validation, without starting anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate a configuration file exactly as `gannet serve` would.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        // The model is timed apart from the rules and the canary: what a reload waits for it.
        var model: CompiledModel?
        let snapshot: FilterSnapshot
        let modelLoad: Duration
        do {
            modelLoad = try ContinuousClock().measure { model = try DetectionLoader.loadModel(config.detection.modelPath) }
            snapshot = try DetectionLoader.snapshot(config, model: model)
        } catch {
            throw ValidationError("\(error)")
        }
        let lists = config.lists
        print("""
            \(options.config ?? "embedded configuration"): OK
              socket \(config.milter.socket) (group \(config.milter.socketGroup.isEmpty ? "unchanged" : config.milter.socketGroup)), on internal error: \(config.policy.onInternalError.rawValue)
              lists: \(lists.blockedAddresses.count) blocked senders, \(lists.blockedDomains.count) blocked domains, \(lists.allowedAddresses.count) allowed senders, \(lists.allowedDomains.count) allowed domains
              metrics: \(config.metrics.listen.map { "http://\($0)/metrics" } ?? "off")
              model: \(snapshot.engine.modelID)\(config.detection.modelPath.isEmpty ? "" : " (\(config.detection.modelPath), loaded in \(ModelShow.milliseconds(modelLoad)) ms)"); rules: \(snapshot.engine.rules.rules.rules.count) (\(config.detection.rulesPath.isEmpty ? "starter rules" : config.detection.rulesPath))
              baselines: \(Self.describe(config))
            """)
    }

    static func describe(_ config: GannetConfig) -> String {
        let baselines = config.baselines
        let learning = "half-life \(Int(baselines.model.halfLifeSeconds / 86_400)) days, \(baselines.model.senderDailyCredit) clean messages per sender a day"
        switch baselines.store {
        case .off: return "off"
        case .embedded: return "embedded, \(BaselineService.databasePath(config)) written behind every \(baselines.writeBehindSeconds) s, at most \(baselines.maxRecords) records; \(learning)"
        case .redis: return "Redis at \(baselines.redis), lookups within \(baselines.redis.lookupTimeout); \(learning)"
        }
    }
}
