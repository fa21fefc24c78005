import ArgumentParser
import Features
import Runtime

/// `--state-dir`, and the configured baselines store as a tool outside the daemon reads it.
struct BaselineStoreOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "State directory, overriding daemon.state_dir (where the embedded store's database is).")
    var stateDirectory: String?

    /// The store `config` names, in the state directory given, or a usage error saying why
    /// there is none to read.
    func lookup(_ config: GannetConfig) throws -> (lookup: any BaselineLookup, source: String) {
        var config = config
        if let stateDirectory { config.daemon.stateDirectory = stateDirectory }
        let opened: (lookup: any BaselineLookup, source: String)?
        do {
            opened = try BaselineService.lookup(config)
        } catch {
            throw ValidationError(error.description)
        }
        guard let opened else { throw ValidationError("baselines.store is \"off\": there is no store to read") }
        return opened
    }
}
