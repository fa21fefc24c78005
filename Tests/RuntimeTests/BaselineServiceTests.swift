import Baselines
import Features
import Foundation
import Logging
@testable import Runtime
import Synchronization
import Testing

@Suite struct BaselineServiceTests {
    let partner = BaselineQuery(envelopeSender: "pat@vendor.example", fromAddress: "pat@vendor.example", fromDisplayName: "Pat Vendor",
                                recipients: ["user@corp.example"], at: 1_767_225_600)

    func config(_ directory: String) -> GannetConfig {
        var config = GannetConfig()
        config.daemon.stateDirectory = directory
        return config
    }

    func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = NSTemporaryDirectory() + "gannet-baselines-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func aDamagedDatabaseIsMovedAsideAndANewOneStarted() throws {
        try withDirectory { directory in
            let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            try garbage.write(to: URL(fileURLWithPath: "\(directory)/baselines.sqlite"))
            let service = try #require(try BaselineService.open(config(directory), metrics: GannetMetrics(), logger: Logger(label: "test")))
            service.learn(BaselineObservation(message: partner, outcome: .clean))
            service.close()

            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            let aside = try #require(names.first { $0.hasPrefix("baselines.sqlite.damaged-") })
            #expect(FileManager.default.contents(atPath: "\(directory)/\(aside)") == garbage)
            let lookup = try #require(try BaselineService.lookup(config(directory))).lookup
            #expect(lookup.signals(for: partner)[.senderKnown] == 1)
        }
    }

    @Test func anUnreachableDatabaseIsAnError() {
        #expect(throws: ConfigError.self) {
            _ = try BaselineService.open(config("/nonexistent/gannet-state"), metrics: GannetMetrics(), logger: Logger(label: "test"))
        }
    }

    @Test func offMeansNoStore() throws {
        var config = GannetConfig()
        config.baselines.store = .off
        #expect(try BaselineService.open(config, metrics: GannetMetrics(), logger: Logger(label: "test")) == nil)
        #expect(try BaselineService.lookup(config) == nil)
    }

    @Test func theEmbeddedStoreStaysWithinMaxRecordsAndCountsItsEvictions() throws {
        try withDirectory { directory in
            var config = config(directory)
            config.baselines.maxRecords = 10_000
            let metrics = GannetMetrics()
            // Before any store: nothing evicted, and no record count to report.
            #expect(metrics.prometheusText().contains("gannet_baseline_evictions_total 0"))
            #expect(!metrics.prometheusText().contains("gannet_baseline_records "))
            let service = try #require(try BaselineService.open(config, metrics: metrics, logger: Logger(label: "test")))
            for week in 0..<8 {
                var letter = partner
                letter.at += Int64(week) * 7 * 86_400
                service.learn(BaselineObservation(message: letter, outcome: .clean))
            }
            // Four new records each (sender, domain, pair, display name): 16,000 in all.
            for index in 0..<4_000 {
                let spam = BaselineQuery(envelopeSender: "x\(index)@spam\(index).example", fromAddress: "x\(index)@spam\(index).example",
                                         fromDisplayName: "Spam \(index)", recipients: ["user@corp.example"], at: partner.at + 60 * 86_400 + Int64(index))
                service.learn(BaselineObservation(message: spam, outcome: .clean))
            }
            service.drain()
            func sample(_ name: String) -> Int? {
                metrics.prometheusText().split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ")[1]) }
            }
            let evicted = try #require(sample("gannet_baseline_evictions_total"))
            let records = try #require(sample("gannet_baseline_records"))
            #expect(records <= 10_000 && records > 9_000)
            #expect(evicted >= 16_000 - 10_000)
            service.close()

            // Evicted records are deleted from the file too; the partner is kept.
            let stored = try BaselineDatabase(path: "\(directory)/baselines.sqlite").loadAll().records
            #expect(stored.count == records)
            #expect(stored[BaselineKey(.sender, "pat@vendor.example")] != nil)
        }
    }

    /// A store whose lessons wait until the test lets them through.
    final class GatedStore: BaselineStore {
        let gate = DispatchSemaphore(value: 0)
        let learnt = Mutex(0)
        func signals(for message: BaselineQuery) -> BaselineSignals { BaselineSignals() }
        func learn(_ observation: BaselineObservation) {
            gate.wait()
            learnt.withLock { $0 += 1 }
        }
    }

    @Test func lessonsPastTheQueueCapacityAreDroppedAndCounted() {
        let store = GatedStore()
        let metrics = GannetMetrics()
        let service = BaselineService(store: store, persistent: nil, capacity: 2, metrics: metrics, logger: Logger(label: "test"))
        // The first lesson is being learnt (and waits), the second waits in the queue; the
        // other three find it full.
        for _ in 0..<5 { service.learn(BaselineObservation(message: partner, outcome: .clean)) }
        #expect(metrics.baselineLessonCount(nil) == 3)
        store.gate.signal()
        store.gate.signal()
        service.drain()
        #expect(store.learnt.withLock { $0 } == 2)
        #expect(metrics.baselineLessonCount(.clean) == 2)
        #expect(metrics.prometheusText().contains("gannet_baseline_lessons_total{outcome=\"dropped\"} 3"))
    }
}
