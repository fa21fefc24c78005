import ArgumentParser
import FilterCore
import Runtime

/// `--config`, shared by every subcommand that needs the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (TOML). Without it, the embedded defaults are used.")
    var config: String?

    /// The detection snapshot (model, rules, lists) the configuration describes, validated and
    /// canary-scored exactly as the daemon does at start and on reload.
    func loadSnapshot(_ config: GannetConfig) throws -> FilterSnapshot {
        do {
            return try DetectionLoader.snapshot(config)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The validated configuration, exactly as the daemon loads it.
    func load() throws -> GannetConfig {
        guard let config else { return GannetConfig() }
        do {
            return try GannetConfig.load(path: config)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
