import Baselines
import Features
import Foundation
import Synchronization
import Testing

@Suite struct BaselinePersistenceTests {
    let user = "alice@corp.example"

    /// A small stream: twenty partners writing to five users over two months, some mail flagged.
    func learnStream(into store: some BaselineStore) -> [BaselineQuery] {
        var queries: [BaselineQuery] = []
        for index in 0..<400 {
            let query = message(
                from: "sender\(index % 20)@partner\(index % 7).example", name: "Partner \(index % 20)",
                to: ["user\(index % 5)@corp.example", "user\((index + 1) % 5)@corp.example"], at: start + Int64(index) * 3 * 3600)
            if index % 11 == 0 { store.learnFlagged(query) } else { store.learnClean(query) }
            queries.append(query)
        }
        return queries
    }

    @Test func aRestartKeepsEverySignal() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/baselines.sqlite"
        let model = BaselineModel(settings: settings())
        // Restarted ten days after the last lesson: nothing is stale yet.
        let restart: @Sendable () -> Int64 = { start + 60 * day }
        let first = try PersistentBaselineStore(path: path, model: model, interval: .seconds(60), wallClock: restart)
        let queries = learnStream(into: first)
        let later = queries.map { query in
            var query = query
            query.at += 90 * day
            return query
        }
        let before = later.map { first.signals(for: $0) }
        let count = first.memory.recordCount
        try first.close()

        let second = try PersistentBaselineStore(path: path, model: model, interval: .seconds(60), wallClock: restart)
        defer { try? second.close() }
        #expect(second.memory.recordCount == count)
        let after = later.map { second.signals(for: $0) }
        #expect(zip(before, after).filter { $0 != $1 }.count == 0)
    }

    @Test func aCrashLosesAtMostTheWriteBehindInterval() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/baselines.sqlite"
        let model = BaselineModel(settings: settings())
        let store = try PersistentBaselineStore(path: path, model: model, interval: .seconds(1), wallClock: { start })
        store.learnClean(message(from: "early@partner.example", to: [user], at: start))
        // Write-behind alone writes the early lesson within an interval (a loaded machine may
        // take longer; five intervals is the limit).
        let reader = try BaselineDatabase(path: path)
        let deadline = Date().addingTimeInterval(5)
        while try reader.loadAll().records[BaselineKey(.sender, "early@partner.example")] == nil, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(try reader.loadAll().records[BaselineKey(.sender, "early@partner.example")] != nil)
        // Just after a write: the next one is an interval away when the process dies.
        store.learnClean(message(from: "late@partner.example", to: [user], at: start + 60))
        store.abandon()

        let restarted = try PersistentBaselineStore(path: path, model: model, wallClock: { start + day })
        defer { try? restarted.close() }
        let query = { (sender: String) in restarted.signals(for: message(from: sender, to: [self.user], at: start + day)) }
        #expect(query("early@partner.example")[.senderKnown] == 1)
        #expect(query("late@partner.example")[.senderKnown] == 0)
    }

    @Test func prunedRecordsAreDeletedFromTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/baselines.sqlite"
        let model = BaselineModel(settings: settings())
        let store = try PersistentBaselineStore(path: path, model: model, interval: .seconds(60), wallClock: { start })
        learnYearWithSilentPartners(into: store)
        try store.flush()
        let silent = BaselineKey(.sender, partnerAddress(0))
        let active = BaselineKey(.sender, partnerAddress(silentPartners))
        #expect(try BaselineDatabase(path: path).loadAll().records[silent] != nil)

        let now = start + 365 * day
        #expect(store.memory.prune(at: now) > 0)
        try store.flush()
        let count = store.memory.recordCount
        try store.close()
        let stored = try BaselineDatabase(path: path).loadAll().records
        #expect(stored.count == count)
        #expect(stored[silent] == nil)
        #expect(stored[active] != nil)
        #expect(!stored.values.contains { $0.isStale(at: now, settings: model.settings) })
    }

    @Test func aStaleRecordInTheFileIsNotLoadedAndIsDeleted() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/baselines.sqlite"
        let halfLife = BaselineSettings().halfLifeSeconds
        var old = PairRecord(firstAt: start)
        old.messages.add(1, at: start, halfLife: halfLife)
        var recent = PairRecord(firstAt: start + 250 * day)
        recent.messages.add(1, at: start + 250 * day, halfLife: halfLife)
        let oldKey = BaselineKey.pair(from: "old@x.example", to: user)
        let recentKey = BaselineKey.pair(from: "recent@x.example", to: user)
        try BaselineDatabase(path: path).write([(oldKey, .pair(old)), (recentKey, .pair(recent))])

        let store = try PersistentBaselineStore(path: path, model: BaselineModel(settings: settings()), wallClock: { start + 300 * day })
        #expect(store.memory.record(oldKey) == nil)
        #expect(store.memory.record(recentKey) == .pair(recent))
        try store.close()
        let stored = try BaselineDatabase(path: path).loadAll().records
        #expect(stored[oldKey] == nil)
        #expect(stored[recentKey] == .pair(recent))
    }

    @Test func writeBehindPrunesEveryPeriod() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/baselines.sqlite"
        let clock = TestClock(start)
        let store = try PersistentBaselineStore(
            path: path, model: BaselineModel(settings: settings()), interval: .milliseconds(20), prunePeriod: .milliseconds(100), wallClock: { clock.now })
        defer { try? store.close() }
        let sender = BaselineKey(.sender, "ap@partner.example")
        store.learnClean(message(from: "ap@partner.example", to: [user], at: start))
        let reader = try BaselineDatabase(path: path)
        // A loaded machine may be slow; five seconds is the limit for each step.
        var deadline = Date().addingTimeInterval(5)
        while try reader.loadAll().records[sender] == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try reader.loadAll().records[sender] != nil)
        // Still fresh after several periods.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(store.memory.record(sender) != nil)

        clock.now = start + 300 * day
        deadline = Date().addingTimeInterval(5)
        while try !reader.loadAll().records.isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try reader.loadAll().records.isEmpty)
        #expect(store.memory.recordCount == 0)
    }

    @Test func damagedRowsAreSkippedOnLoad() throws {
        let sqlite = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: sqlite) else {
            Issue.record("sqlite3 is missing: run packaging/bootstrap.sh")
            return
        }
        let directory = try TemporaryDirectory()
        let path = directory.path + "/baselines.sqlite"
        let store = try PersistentBaselineStore(path: path, model: BaselineModel(settings: settings()))
        _ = learnStream(into: store)
        let count = store.memory.recordCount
        try store.close()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite)
        process.arguments = [path, "INSERT INTO baseline_records VALUES ('s:torn@x.example', X'0102'), ('?:what', X'01'), ('p:a', X'');"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let loaded = try BaselineDatabase(path: path).loadAll()
        #expect(loaded.skipped == 3)
        #expect(loaded.records.count == count)
    }

    @Test func aFileThatIsNotADatabaseIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/baselines.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: SQLiteError.self) { try PersistentBaselineStore(path: path) }
        #expect(throws: SQLiteError.self) { try PersistentBaselineStore(path: directory.path + "/missing/dir/baselines.sqlite") }
    }

    @Test func recordsSurviveEncodingAndTruncationIsRejected() {
        var activity = ActivityRecord()
        activity.firstCleanAt = start
        activity.clean.add(3, at: start, halfLife: 100)
        activity.recipients.insert(user)
        _ = activity.cleanCredit.take(at: start, limit: 5)
        var pair = PairRecord(firstAt: start)
        pair.messages.add(2, at: start + 5, halfLife: 100)
        var recipient = RecipientRecord()
        recipient.quarantined.add(1, at: start, halfLife: 100)
        let names = DisplayNameRecord(uses: [.init(address: "jane@corp.example", firstAt: start, lastAt: start + 9), .init(address: "ü@x.example", firstAt: 1, lastAt: 2)])
        for record in [BaselineRecord.activity(activity), .activity(ActivityRecord()), .pair(pair), .recipient(recipient), .displayName(names)] {
            let bytes = record.encoded
            #expect(BaselineRecord(encoded: bytes) == record)
            for length in 0..<bytes.count { #expect(BaselineRecord(encoded: bytes.prefix(length)) == nil) }
            #expect(BaselineRecord(encoded: bytes + [0]) == nil)
        }
    }
}

/// A wall clock the test sets, for the store's write-behind thread to read.
final class TestClock: Sendable {
    private let seconds: Atomic<Int64>

    init(_ seconds: Int64) {
        self.seconds = Atomic(seconds)
    }

    var now: Int64 {
        get { seconds.load(ordering: .relaxed) }
        set { seconds.store(newValue, ordering: .relaxed) }
    }
}

/// A directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "gannet-baselines-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
