import Features
import FilterCore
import Foundation

/// Feature-extraction throughput over a corpus, single-threaded (figures are per core):
/// a reference pass that only reads every byte, the inline pass and the full pass, each on
/// the same messages in the same run.
///
///     swift run -c release gannet-bench [CORPUS_DIR] [--limit N]
@main
struct FeatureBenchmark {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        let corpus = arguments.first { !$0.hasPrefix("--") } ?? "../shared/corpus"
        let limit = arguments.firstIndex(of: "--limit").flatMap { Int(arguments[$0 + 1]) } ?? Int.max

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

        measure("reference") { loaded in
            // Touches every byte the extractor would see, and nothing else.
            var sum: UInt64 = 0
            for field in loaded.message.headers { for byte in field.value.utf8 { sum &+= UInt64(byte) } }
            for byte in loaded.message.body { sum &+= UInt64(byte) }
            return sum
        }

        for (name, pass) in [("inline", FeatureExtractor.Pass.inline(byteBudget: 256 * 1024)), ("full", .full)] {
            measure(name) { loaded in
                var extractor = FeatureExtractor(settings: settings, pass: pass)
                for field in loaded.message.headers { extractor.header(name: field.name, value: field.value) }
                extractor.endOfHeaders()
                loaded.message.body.withUnsafeBytes { extractor.body($0) }
                let vector = extractor.finish()
                return UInt64(vector.ngrams.count)
            }
        }
        print("(checksum \(sink % 1000))")
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
