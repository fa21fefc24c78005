import ArgumentParser
import Runtime

/// `gannet reload`: asks the running daemon to reload (SIGHUP), found by its pid file.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reload", abstract: "Ask the running daemon to reload configuration, lists, rules and model.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("state-dir"), help: "State directory of the daemon, overriding daemon.state_dir.")
    var stateDirectory: String?

    func run() throws {
        let directory = try stateDirectory ?? options.load().daemon.stateDirectory
        switch PidFile.signalReload(stateDirectory: directory) {
        case .success(let pid): print("reload requested from gannet (pid \(pid)); its log and `systemctl status gannet` say whether it took")
        case .failure(let error): throw ValidationError("no running daemon to reload: \(error)")
        }
    }
}
