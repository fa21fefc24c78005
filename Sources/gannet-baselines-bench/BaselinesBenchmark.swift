import Baselines
import Features
import Foundation
import Training

/// Baseline figures on a synthetic tenant: inline lookup latency of the embedded store, alone
/// and while a prune pass or write-behind's take of the changes runs on another thread, how
/// fast lessons are learned, SQLite write and load throughput, and the Redis store against a
/// private redis-server, single-threaded.
///
///     swift run -c release gannet-baselines-bench [--senders N] [--recipients N] [--messages N] [--lookups N]
///         [--max-records N] [--prune-passes N] [--redis-lessons N] [--redis-lookups N]
///
/// How much the signals add to detection is measured by `gannet simulate`.
@main
struct BaselinesBenchmark {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let population = SyntheticTenant(senders: option("--senders", 100_000), recipients: option("--recipients", 10_000))
        let messageCount = option("--messages", 1_000_000)
        let lookupCount = option("--lookups", 200_000)
        var settings = BaselineSettings()
        settings.internalDomains = [SyntheticTenant.internalDomain]
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings), maxRecords: option("--max-records", EmbeddedBaselineStore.defaultMaxRecords))

        var random = SplitMix64(seed: 7)
        let days: Int64 = 180
        let learning = Stopwatch()
        for index in 0..<messageCount {
            let at = SyntheticTenant.start + Int64(index) * days * 86_400 / Int64(messageCount)
            let query = population.message(at: at, random: &random, knownSender: true)
            store.learn(BaselineObservation(message: query, outcome: random.next() % 50 == 0 ? .flagged : .clean))
        }
        let learnSeconds = learning.seconds
        print("tenant: \(population.senders) senders, \(population.recipients) recipients, \(messageCount) messages over \(days) days → \(store.recordCount) records (\(store.evictedCount) evicted); peak RSS \(Int(peakResidentMegabytes())) MB")
        print(String(format: "learn: %.0f lessons/s (in memory)", Double(messageCount) / learnSeconds))

        let now = SyntheticTenant.start + days * 86_400
        let queries = (0..<lookupCount).map { index in
            population.message(at: now + Int64(index), random: &random, knownSender: index % 5 != 0)
        }
        var times: [Double] = []
        times.reserveCapacity(queries.count)
        var sink = 0.0
        let clock = ContinuousClock()
        for query in queries {
            let before = clock.now
            sink += store.signals(for: query)[.senderMessages]
            times.append(Stopwatch.microseconds(clock.now - before))
        }
        let alone = Latencies(times)
        print(String(format: "inline lookup (embedded, %d lookups, 1 in 5 from a new sender): p50 %.2f µs  p99 %.2f µs  p99.9 %.2f µs  max %.1f µs", alone.count, alone.percentile(0.5), alone.percentile(0.99), alone.percentile(0.999), alone.max))

        // The hourly pass in the usual case: nothing is 200 days silent yet.
        for pass in 1...option("--prune-passes", 3) {
            let pruning = LookupsDuringWork.measure(store: store, queries: queries) { store.prune(at: now) }
            print(String(format: "prune pass %d (%d records, %d removed): %.3f s; inline lookups meanwhile on another thread: %@", pass, store.recordCount, pruning.result, pruning.workSeconds, pruning.report))
        }

        let directory = NSTemporaryDirectory() + "gannet-baselines-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try BaselineDatabase(path: directory + "/baselines.sqlite")
        // Write-behind's worst case: every record changed since the last write.
        let taking = LookupsDuringWork.measure(store: store, queries: queries) { store.takeChanges() }
        let records = taking.result
        print(String(format: "take changes (%d records): %.3f s; inline lookups meanwhile: %@", records.count, taking.workSeconds, taking.report))
        let batch = 10_000
        let writing = Stopwatch()
        for start in stride(from: 0, to: records.count, by: batch) {
            try database.write(Array(records[start..<min(start + batch, records.count)]))
        }
        let writeSeconds = writing.seconds
        print(String(format: "SQLite write-behind: %.0f records/s (%d records in batches of %d, WAL, synchronous=NORMAL)", Double(records.count) / writeSeconds, records.count, batch))
        let loading = Stopwatch()
        let loaded = try database.loadAll()
        print(String(format: "SQLite load at start: %.0f records/s (%d records, %d skipped)", Double(loaded.records.count) / loading.seconds, loaded.records.count, loaded.skipped))
        if sink.isNaN { print("") }

        try RedisBenchmark.run(population: population, settings: settings, lessons: option("--redis-lessons", 20_000), lookups: option("--redis-lookups", 20_000))
    }
}

struct Stopwatch {
    private let started = ContinuousClock.now

    var seconds: Double { Self.microseconds(ContinuousClock.now - started) / 1e6 }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }
}

func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
