import Foundation

/// A daemon in a fresh directory behind its own private Postfix, as most integration tests
/// drive it. Test suites add what they look at in extensions.
struct MailSystem {
    let directory: String
    var daemon: DaemonProcess
    let postfix: PrivatePostfix

    /// Writes `files` (name → text) into a fresh directory, starts the daemon on
    /// `config(directory)` and a Postfix in front of it, runs `body`, then stops both and
    /// removes the directory.
    static func run(_ label: String, files: [String: String] = [:], config: (String) -> String, _ body: (inout MailSystem) throws -> Void) throws {
        let directory = try TestTools.temporaryDirectory(label)
        for (name, text) in files { try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8) }
        let daemon = try DaemonProcess(directory: directory, config: config(directory))
        let postfix = try PrivatePostfix(directory: "\(directory)/postfix", milterSocket: daemon.socketPath)
        var system = MailSystem(directory: directory, daemon: daemon, postfix: postfix)
        defer {
            postfix.stop()
            system.daemon.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try body(&system)
    }
}
