import Detection
import Features
import FilterCore
import Foundation

/// Feature-extraction throughput over a corpus, single-threaded (figures are per core):
/// a reference pass that only reads every byte, the inline pass and the full pass, each on
/// the same messages in the same run.
///
/// Then the inline decision with a real model (`--model`, default the shipped
/// etc/gannet/model.gmodel), the model's load time in both file forms, and whole processes:
/// `gannet score` against Python's email parser on the same folder.
///
///     swift build -c release && .build/release/gannet-bench [CORPUS_DIR] [--limit N] [--model FILE]
///         [--only reference|inline|full|decision|load|process]
@main
struct FeatureBenchmark {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        let corpus = arguments.first { !$0.hasPrefix("--") } ?? "../shared/corpus"
        let limit = arguments.firstIndex(of: "--limit").flatMap { Int(arguments[$0 + 1]) } ?? Int.max
        // `--only inline` (or reference, full, decision) runs one part, for profiling.
        let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
        func wanted(_ part: String) -> Bool { only == nil || only == part }
        let modelPath = arguments.firstIndex(of: "--model").map { arguments[$0 + 1] } ?? "etc/gannet/model.gmodel"

        var paths: [String] = []
        if let walker = FileManager.default.enumerator(atPath: corpus) {
            while let relative = walker.nextObject() as? String, paths.count < limit {
                if relative.hasSuffix(".eml") { paths.append(corpus + "/" + relative) }
            }
        }
        paths.sort()
        guard !paths.isEmpty else {
            print("no .eml files under \(corpus)")
            return
        }
        let messages = paths.compactMap { path in
            FileManager.default.contents(atPath: path).map { LoadedMessage(message: RawMessage(bytes: [UInt8]($0)), size: $0.count) }
        }
        let totalBytes = messages.reduce(0) { $0 + $1.size }
        let loadedPeak = peakResidentMegabytes()
        print("corpus: \(messages.count) messages, \(String(format: "%.1f", Double(totalBytes) / 1e6)) MB from \(corpus); peak RSS after loading \(String(format: "%.0f", loadedPeak)) MB")
        print("pass        messages/s      MB/s   p50 µs   p99 µs  p99 µs ≤100KB  peak RSS MB")

        var sink: UInt64 = 0
        func measure(_ name: String, _ work: (LoadedMessage) -> UInt64) {
            var times: [Double] = []
            var smallTimes: [Double] = []
            times.reserveCapacity(messages.count)
            let clock = ContinuousClock()
            let started = clock.now
            for message in messages {
                let before = clock.now
                sink &+= work(message)
                let elapsed = clock.now - before
                let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
                times.append(micros)
                if message.size <= 100_000 { smallTimes.append(micros) }
            }
            let total = clock.now - started
            let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            times.sort()
            smallTimes.sort()
            func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            print(String(format: "%-10@ %11.0f %9.1f %8.1f %8.1f %14.1f %12.0f", name as NSString, Double(messages.count) / seconds, Double(totalBytes) / 1e6 / seconds,
                         percentile(times, 0.5), percentile(times, 0.99), percentile(smallTimes, 0.99), peakResidentMegabytes()))
        }

        let settings = FeatureSettings(internalDomains: ["gannet.test"])

        if wanted("reference") { measure("reference") { loaded in
            // Touches every byte the extractor would see, and nothing else.
            var sum: UInt64 = 0
            for field in loaded.message.headers { for byte in field.value.utf8 { sum &+= UInt64(byte) } }
            for byte in loaded.message.body { sum &+= UInt64(byte) }
            return sum
        } }

        for (name, pass) in [("inline", FeatureExtractor.Pass.inline(byteBudget: 256 * 1024)), ("full", .full)] where wanted(name) {
            measure(name) { loaded in
                UInt64(loaded.message.extract(settings: settings, pass: pass).vector.ngrams.count)
            }
        }
        print("(checksum \(sink % 1000))")

        if wanted("decision") { decisionTimes(messages, settings: settings, modelPath: modelPath) }
        if wanted("load") { WholeProcessBenchmark.modelLoad(modelPath) }
        if wanted("process") { WholeProcessBenchmark.run(corpus: corpus, model: modelPath) }
    }

    /// The inline decision at end of message, as the daemon makes it: the filter state
    /// machine replays each message, and only the end-of-message step is timed (extractor
    /// finish, model, starter rules, policy). With the model at `modelPath`, else a synthetic
    /// one of realistic size.
    static func decisionTimes(_ messages: [LoadedMessage], settings: FeatureSettings, modelPath: String) {
        let shipped = FileManager.default.fileExists(atPath: modelPath) ? try? ModelFile.load(modelPath) : nil
        let model = shipped ?? (try! CompiledModel(BenchmarkModel.document()))
        let modelName = shipped.map { "model \($0.id)" } ?? "synthetic model of 300 trees"
        let rules = try! RuleParser.parse(StarterRules.text, file: "starter rules", externalLists: ["internal_domains", "protected_domains", "blocked_senders", "blocked_domains", "allowed_senders", "allowed_domains"])
        let engine = DetectionEngine(lists: .empty, model: model, rules: RuleEvaluator(rules: rules, externalLists: [:]))
        let snapshot = FilterSnapshot(policy: FilterPolicy(), engine: engine, features: settings)
        var decisions: [Double] = [], smallDecisions: [Double] = []
        var deferred = 0
        for loaded in messages {
            let result = MilterReplay(deriving: loaded.message).run(loaded.message, snapshot: snapshot)
            let micros = Double(result.decisionTime.components.seconds) * 1e6 + Double(result.decisionTime.components.attoseconds) / 1e12
            decisions.append(micros)
            if loaded.size <= 100_000 { smallDecisions.append(micros) }
            if result.outcome.inlineDecision == .defer { deferred += 1 }
        }
        decisions.sort()
        smallDecisions.sort()
        func at(_ sorted: [Double], _ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(String(format: "inline decision at end of message (%@ + starter rules): p50 %.1f µs, p99 %.1f µs, p99 ≤100KB %.1f µs; deferred %d of %d",
                     modelName as NSString, at(decisions, 0.5), at(decisions, 0.99), at(smallDecisions, 0.99), deferred, messages.count))
    }
}

struct LoadedMessage {
    let message: RawMessage
    let size: Int
}

func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ")[1]) else { return 0 }
    return kilobytes / 1024
}
