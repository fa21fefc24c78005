import Foundation

/// A `gannet serve` process started from the built binary, with its log captured in a file.
final class DaemonProcess {
    let process = Process()
    let socketPath: String
    let logPath: String

    /// Starts the daemon and waits until its socket exists.
    init(directory: String, config: String, extraEnvironment: [String: String] = [:]) throws {
        socketPath = "\(directory)/milter.sock"
        logPath = "\(directory)/gannet.log"
        let configPath = "\(directory)/gannet.toml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: TestTools.gannetBinary)
        process.arguments = ["serve", "--config", configPath, "--socket", "unix:\(socketPath)", "--state-dir", "\(directory)/state"]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        environment.removeValue(forKey: "JOURNAL_STREAM")
        process.environment = environment.merging(extraEnvironment) { _, new in new }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The milter's own line ("] listening"), which comes after the baselines store and the
        // spool are open: the metrics endpoint says "metrics endpoint listening" earlier.
        let listening = TestTools.waitUntil(timeout: .seconds(20)) {
            !process.isRunning || log_contains("] listening")
        }
        guard listening, process.isRunning else {
            throw DaemonError.didNotStart(self.log)
        }
    }

    enum DaemonError: Error { case didNotStart(String) }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    private func log_contains(_ text: String) -> Bool { log.contains(text) }

    func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// The port of the metrics endpoint, from the daemon's start-up log line.
    var metricsPort: Int? {
        guard let range = log.range(of: #"address=127\.0\.0\.1:(\d+)"#, options: .regularExpression) else { return nil }
        return Int(log[range].split(separator: ":").last ?? "")
    }

    /// Stops with SIGTERM and waits for the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            signal(SIGTERM)
            _ = TestTools.waitUntil(timeout: .seconds(20)) { !process.isRunning }
            if process.isRunning { signal(SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(pid, SIGKILL) } }
}

/// The daemon configuration the integration tests use, with a blocked sender.
enum TestConfig {
    /// `verifyHolds`: the Postfix configuration directory whose hold queue confirms holds;
    /// nil turns verification off (it would list the system's queue).
    static func text(blockedSenders: [String] = ["blocked@evil.example"], metrics: Bool = true, onInternalError: String = "tempfail", model: String = "",
                     verifyHolds: String? = nil) -> String {
        """
        [milter]
        socket_group = "postfix"
        on_internal_error = "\(onInternalError)"
        [detection]
        # These tests run a debug build beside a signal storm; they test signals and delivery,
        # not latency, so the inline budget is generous.
        inline_budget_ms = 2000
        model = "\(model)"
        [lists]
        blocked_senders = [\(blockedSenders.map { "\"\($0)\"" }.joined(separator: ", "))]
        blocked_domains = ["phish.test"]
        [metrics]
        listen = "\(metrics ? "127.0.0.1:0" : "")"
        [verify]
        \(verifyHolds.map { "postfix_config = \"\($0)\"\ninterval_seconds = 1" } ?? "holds = false")
        """
    }
}
