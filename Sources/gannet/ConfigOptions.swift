import ArgumentParser
import Runtime

/// `--config`, shared by every subcommand that needs the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (TOML). Without it, the embedded defaults are used.")
    var config: String?

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
