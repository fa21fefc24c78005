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
    /// Worker threads; the table is the same for any number.
    public var jobs = OrderedParallelWork.defaultJobs

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
        let done = Atomic<Int>(0)
        let made = OrderedParallelWork.map(Array(entries.indices), jobs: jobs) { index -> Result<String, CorpusReader.Failure> in
            defer {
                let finished = done.add(1, ordering: .relaxed).newValue
                if finished % 64 == 0 || finished == entries.count { progress(finished, entries.count) }
            }
            return CorpusReader.read(entries[index]).map { Self.row(entries[index], vector($0)) }
        }
        var rows = 0
        var skipped: [(location: String, reason: String)] = []
        for (index, result) in made.enumerated() {
            switch result {
            case .success(let row):
                try write(row + "\n")
                rows += 1
            case .failure(let failure):
                skipped.append((entries[index].location, failure.description))
            }
        }
        return Summary(rows: rows, skipped: skipped)
    }
}
