import Foundation
import Testing

/// The daemon's contract with systemd and with the people who run it.
@Suite(.serialized, .enabled(if: TestTools.missing([]) == nil, "\(TestTools.missing([]) ?? "")"))
struct DaemonLifecycleTests {
    static let config = """
        [milter]
        socket_group = ""
        [lists]
        blocked_senders = ["blocked@evil.example"]
        """

    @Test func notifySocketSeesReadyReloadWatchdogAndStop() throws {
        let directory = try TestTools.temporaryDirectory("notify")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let notify = try NotifySocket(path: "\(directory)/notify.sock")
        let daemon = try DaemonProcess(directory: directory, config: Self.config, extraEnvironment: [
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000",
        ])
        defer { daemon.stop() }

        let started = notify.collect { messages in messages.contains { $0.hasPrefix("READY=1") } && messages.contains("WATCHDOG=1") }
        let ready = try #require(started.first { $0.hasPrefix("READY=1") })
        #expect(ready.contains("STATUS=serving; model=none; started"))
        // READY=1 only once the socket listens.
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))

        daemon.signal(SIGHUP)
        let reload = notify.collect { $0.contains { $0.hasPrefix("READY=1") && $0.contains("reloaded") } }
        let reloading = try #require(reload.firstIndex { $0.hasPrefix("RELOADING=1") })
        #expect(reload[reloading].contains("MONOTONIC_USEC="))
        #expect(reload.lastIndex { $0.hasPrefix("READY=1") }! > reloading)

        // A broken file is refused; the reason reaches STATUS and the old lists stay.
        try "[lists]\nblocked_senders = [\"not-an-address\"]\n".write(toFile: "\(directory)/gannet.toml", atomically: true, encoding: .utf8)
        daemon.signal(SIGUSR1)
        let rejected = notify.collect { $0.contains { $0.contains("last reload rejected") } }
        #expect(rejected.contains { $0.contains("gannet.toml:2:1: lists.blocked_senders: 'not-an-address' is not a mail address") })
        #expect(daemon.log.contains("reload rejected"))
        #expect(daemon.isRunning)

        daemon.signal(SIGTERM)
        let stopping = notify.collect { $0.contains { $0.hasPrefix("STOPPING=1") } }
        #expect(stopping.contains { $0.hasPrefix("STOPPING=1") })
        #expect(daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test func theSocketIsNeverWorldWritableAndStaleSocketsAreReplaced() throws {
        let directory = try TestTools.temporaryDirectory("sock")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A stale socket file from a crashed run.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in "\(directory)/milter.sock".utf8.enumerated() { raw[index] = byte }
        }
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(stale)
        chmod("\(directory)/milter.sock", 0o777)

        let daemon = try DaemonProcess(directory: directory, config: Self.config)
        defer { daemon.stop() }
        var info = stat()
        #expect(stat(daemon.socketPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
    }

    @Test func anInvalidConfigurationStopsStartUpWithFileAndLine() throws {
        let result = try Command.run(TestTools.gannetBinary, ["serve", "--config", "/dev/null/missing.toml"])
        #expect(result.status != 0)
        #expect(result.errorOutput.contains("/dev/null/missing.toml: cannot read"))
    }
}
