import Features
import FilterCore
import Foundation
import Synchronization

/// Runs the daemon's own extractor over a corpus on every core and writes a feature table:
/// CSV with a header of feature names (plus path, label, source, split, and the hashed n-grams
/// as `bucket:count;…`), one row per message, in corpus order. Messages that cannot be read
/// are reported and skipped, never fatal.
public struct DatasetBuilder: Sendable {
    public let settings: FeatureSettings
    public let pass: FeatureExtractor.Pass

    public init(settings: FeatureSettings, pass: FeatureExtractor.Pass) {
        self.settings = settings
        self.pass = pass
    }

    public struct Summary: Sendable {
        public let rows: Int
        public let skipped: [(location: String, reason: String)]
    }

    /// The feature vector of one stored message, fed as the milter feeds it.
    public func vector(_ bytes: [UInt8]) -> FeatureVector {
        let message = RawMessage(bytes: bytes)
        return message.extract(settings: settings, pass: pass, envelope: MessageEnvelope(sender: MilterReplay(deriving: message).envelopeSender)).vector
    }

    public static var header: String {
        (["path", "label", "source", "split"] + FeatureSchema.definitions.map(\.name) + ["ngrams"]).joined(separator: ",")
    }

    static func row(_ entry: CorpusEntry, _ vector: FeatureVector) -> String {
        var fields = [csv(entry.location), csv(entry.label), csv(entry.source), csv(entry.split)]
        fields += vector.values.map(number)
        fields.append(vector.ngrams.map { "\($0.bucket):\(Int($0.count))" }.joined(separator: ";"))
        return fields.joined(separator: ",")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func csv(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Extracts every entry and writes the table through `write` (header first, then rows in
    /// corpus order). `progress` gets (done, total) now and then.
    public func build(_ entries: [CorpusEntry], write: (String) throws -> Void, progress: @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        try write(Self.header + "\n")
        let rows = Mutex([String?](repeating: nil, count: entries.count))
        let failures = Mutex([Int: String]())
        let done = Atomic<Int>(0)
        let batch = 64
        let batches = (entries.count + batch - 1) / batch
        DispatchQueue.concurrentPerform(iterations: batches) { batchIndex in
            var made: [(Int, String)] = []
            var failed: [(Int, String)] = []
            for index in (batchIndex * batch)..<min(entries.count, (batchIndex + 1) * batch) {
                switch CorpusReader.read(entries[index]) {
                case .success(let bytes): made.append((index, Self.row(entries[index], vector(bytes))))
                case .failure(let failure): failed.append((index, failure.description))
                }
            }
            rows.withLock { for (index, row) in made { $0[index] = row } }
            failures.withLock { for (index, reason) in failed { $0[index] = reason } }
            let total = done.add(made.count + failed.count, ordering: .relaxed).newValue
            progress(total, entries.count)
        }
        let finished = rows.withLock { $0 }
        for row in finished.compactMap({ $0 }) { try write(row + "\n") }
        let skipped = failures.withLock { $0 }.sorted { $0.key < $1.key }.map { (location: entries[$0.key].location, reason: $0.value) }
        return Summary(rows: finished.compactMap { $0 }.count, skipped: skipped)
    }
}
