import Foundation
import Logging
@testable import Runtime
import Synchronization
import Features
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

    /// `gannet serve --model` on the embedded configuration: the file it names is read again
    /// on every reload, as `gannet deploy` expects.
    @Test func theEmbeddedConfigurationReloadsTheFilesItsOverridesName() throws {
        try withConfigFile { path in
            try "rule FIRST when url_count > 0 then weight 1\n".write(toFile: path, atomically: true, encoding: .utf8)
            let overrides: @Sendable (inout GannetConfig) -> Void = { $0.detection.rulesPath = path }
            var initial = GannetConfig()
            overrides(&initial)
            let store = SnapshotStore(try DetectionLoader.snapshot(initial))
            let reloader = ReloadCoordinator(configPath: nil, overrides: overrides, active: initial, store: store, metrics: GannetMetrics(),
                                             notifier: RecordingNotifier(), logger: Logger(label: "test"))
            #expect(store.snapshot.engine.rules.rules.rules.map(\.name) == ["FIRST"])
            try "rule SECOND when url_count > 1 then weight 2\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(reloader.reload() == .reloaded)
            #expect(store.snapshot.engine.rules.rules.rules.map(\.name) == ["SECOND"])
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

    @Test func changedBaselinesAreReportedAsRestartOnly() throws {
        var changed = GannetConfig()
        changed.baselines.store = .redis
        #expect(ReloadCoordinator.restartOnlyChanges(from: GannetConfig(), to: changed) == ["baselines"])
        #expect(ReloadCoordinator.restartOnlyChanges(from: GannetConfig(), to: GannetConfig()).isEmpty)
    }

    @Test func aModelFromAnotherExtractorIsRefusedAndTheOldModelStays() throws {
        let directory = NSTemporaryDirectory() + "gannet-models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func model(id: String, schema: String) -> String {
            """
            {"format": "gannet-model", "format_version": 1, "id": "\(id)", "created": "2026-11-25T00:00:00Z",
             "feature_schema": "\(schema)", "training_data": "t", "thresholds": {"quarantine": 0.9, "accept": 0.3},
             "inline": {"kind": "linear", "bias": -5, "weights": {}}}
            """
        }
        let configPath = "\(directory)/gannet.toml"
        try "[detection]\nmodel = \"\(directory)/model.json\"\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        try model(id: "first", schema: FeatureSchema.digest).write(toFile: "\(directory)/model.json", atomically: true, encoding: .utf8)
        let initial = try GannetConfig.load(path: configPath)
        let store = SnapshotStore(try DetectionLoader.snapshot(initial))
        let metrics = GannetMetrics()
        let reloader = ReloadCoordinator(configPath: configPath, active: initial, store: store, metrics: metrics, notifier: RecordingNotifier(), logger: Logger(label: "test"))
        #expect(store.snapshot.engine.modelID == "first")

        try model(id: "foreign", schema: "ffffffffffffffff").write(toFile: "\(directory)/model.json", atomically: true, encoding: .utf8)
        guard case .rejected(let reason) = reloader.reload() else {
            Issue.record("a model for another schema was accepted")
            return
        }
        #expect(reason.contains("model refused: model was trained for feature schema ffffffffffffffff"))
        #expect(store.snapshot.engine.modelID == "first")

        try model(id: "second", schema: FeatureSchema.digest).write(toFile: "\(directory)/model.json", atomically: true, encoding: .utf8)
        #expect(reloader.reload() == .reloaded)
        #expect(store.snapshot.engine.modelID == "second")
        #expect(metrics.reloadCount(.failure) == 1 && metrics.reloadCount(.success) == 1)
    }

    /// A model that loads but overflows on large inputs is refused by the canary, at load and
    /// reload alike, before it can meet the message that would overflow it.
    @Test func aModelThatOverflowsIsRefusedByTheCanary() throws {
        let directory = NSTemporaryDirectory() + "gannet-canary-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            {"format": "gannet-model", "format_version": 1, "id": "overflowing", "created": "2026-12-04T00:00:00Z",
             "feature_schema": "\(FeatureSchema.digest)", "training_data": "t", "thresholds": {"quarantine": 0.9, "accept": 0.3},
             "inline": {"kind": "linear", "bias": 0, "weights": {"url_count": 1e308, "recipients_count": -1e308}}}
            """.write(toFile: "\(directory)/model.json", atomically: true, encoding: .utf8)
        var config = GannetConfig()
        config.detection.modelPath = "\(directory)/model.json"
        #expect {
            _ = try DetectionLoader.snapshot(config)
        } throws: { error in
            "\(error)".contains("canary scoring gave")
        }
    }

    /// A wrong path or a damaged file is refused by its size, before anything is read.
    @Test func anOversizedModelFileIsRefusedUnread() throws {
        let directory = NSTemporaryDirectory() + "gannet-huge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/model.json"
        // Sparse: 300 MB long, nothing on disk.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        var config = GannetConfig()
        config.detection.modelPath = path
        #expect {
            _ = try DetectionLoader.snapshot(config)
        } throws: { error in
            "\(error)".contains("model file is 314572800 bytes; at most 256 MB is read")
        }
    }
}
