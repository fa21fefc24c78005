import Foundation
import Logging
import Runtime
import Synchronization
import FilterCore
import Testing

/// Records what would be sent to systemd.
final class RecordingNotifier: ServiceNotifier {
    let sent = Mutex<[String]>([])
    func ready(status: String) { sent.withLock { $0.append("READY \(status)") } }
    func reloading(status: String) { sent.withLock { $0.append("RELOADING") } }
    func stopping(status: String) { sent.withLock { $0.append("STOPPING") } }
    func status(_ text: String) { sent.withLock { $0.append("STATUS \(text)") } }
    func watchdog() {}
    var watchdogInterval: Duration? { nil }
}

@Suite struct ReloadCoordinatorTests {
    func withConfigFile(_ body: (String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "gannet-reload-\(UUID().uuidString).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    @Test func aValidFileIsSwappedInAndAnInvalidOneKeepsTheOld() throws {
        try withConfigFile { path in
            try "[lists]\nblocked_senders = [\"one@evil.example\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
            let initial = try GannetConfig.load(path: path)
            let store = SnapshotStore(try DetectionLoader.snapshot(initial))
            let metrics = GannetMetrics()
            let notifier = RecordingNotifier()
            let reloader = ReloadCoordinator(configPath: path, active: initial, store: store, metrics: metrics, notifier: notifier, logger: Logger(label: "test"))

            try "[lists]\nblocked_senders = [\"two@evil.example\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(reloader.reload() == .reloaded)
            #expect(store.snapshot.engine.lists.blockedAddresses == ["two@evil.example"])

            try "[lists]\nblocked_senders = [\"three@evil.example\"]\nbogus = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
            guard case .rejected(let reason) = reloader.reload() else {
                Issue.record("invalid file was accepted")
                return
            }
            #expect(reason.contains(":3:1: unknown key 'bogus' in [lists]"))
            #expect(store.snapshot.engine.lists.blockedAddresses == ["two@evil.example"])
            #expect(metrics.reloadCount(.success) == 1)
            #expect(metrics.reloadCount(.failure) == 1)
            let sent = notifier.sent.withLock { $0 }
            #expect(sent.count == 4)
            #expect(sent[2] == "RELOADING")
            #expect(sent[3].hasPrefix("READY serving; model=none; last reload rejected: ") && sent[3].contains("bogus"))
        }
    }

    @Test func restartOnlySettingsAreNotSwappedButReported() throws {
        try withConfigFile { path in
            try "".write(toFile: path, atomically: true, encoding: .utf8)
            let initial = try GannetConfig.load(path: path)
            let store = SnapshotStore(try DetectionLoader.snapshot(initial))
            let reloader = ReloadCoordinator(configPath: path, active: initial, store: store, metrics: GannetMetrics(), notifier: RecordingNotifier(), logger: Logger(label: "test"))
            try "[milter]\nsocket = \"unix:/elsewhere.sock\"\non_internal_error = \"accept\"\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(reloader.reload() == .reloaded)
            // The failure policy is reloadable; the socket is not (the listener stays where it is).
            #expect(store.snapshot.policy.onInternalError == .accept)
        }
    }
}
