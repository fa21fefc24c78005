import ArgumentParser
import Features
import Foundation
import Training

/// `gannet dataset`: the feature table of a corpus, for training and for any tool that reads CSV.
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dataset", abstract: "Extract the feature table of a labelled corpus (CSV) on all cores.")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var workers: JobsOption

    @Option(name: .long, help: "Manifest (path<TAB>label<TAB>source<TAB>split), paths relative to it.")
    var manifest: String?

    @Option(name: .long, help: "Only this split of the manifest (e.g. train).")
    var split: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Directories of .eml files, Maildirs or mbox files, as LABEL=PATH.")
    var directory: [String] = []

    @Flag(name: .long, help: "Extract the inline pass's vectors (what the daemon sees inline) instead of the full pass's.")
    var inline = false

    @Option(name: .long, help: "Output CSV file.")
    var out: String

    func validate() throws {
        if manifest == nil, directory.isEmpty { throw ValidationError("give --manifest or --directory LABEL=PATH") }
        for item in directory where !item.contains("=") { throw ValidationError("--directory takes LABEL=PATH, not '\(item)'") }
    }

    func run() throws {
        let config = try options.load()
        var entries: [CorpusEntry] = []
        if let manifest { entries += try CorpusReader.manifest(manifest, split: split) }
        for item in directory {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            entries += try CorpusReader.directory(parts[1], label: parts[0])
        }
        guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out) else {
            throw ValidationError("cannot write \(out)")
        }
        defer { try? handle.close() }
        let pass: FeatureExtractor.Pass = inline ? .inline(byteBudget: config.policy.inlineByteBudget) : .full
        var builder = DatasetBuilder(settings: config.features, pass: pass)
        builder.jobs = workers.jobs
        let interactive = isatty(STDERR_FILENO) == 1
        let summary = try builder.build(entries, write: { try handle.write(contentsOf: Data($0.utf8)) }, progress: { done, total in
            // A bar for people; a line per tenth for logs.
            if interactive {
                let filled = total == 0 ? 30 : done * 30 / total
                FileHandle.standardError.write(Data("\rdataset [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: 30 - filled))] \(done)/\(total)".utf8))
            } else if total > 0, done * 10 / total != (done - 1) * 10 / total {
                FileHandle.standardError.write(Data("dataset: \(done)/\(total)\n".utf8))
            }
        })
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        for (location, reason) in summary.skipped {
            FileHandle.standardError.write(Data("dataset: skipped \(location): \(reason)\n".utf8))
        }
        print("\(out): \(summary.rows) rows, \(FeatureSchema.count) features + n-grams (schema \(FeatureSchema.digest)), \(summary.skipped.count) skipped")
    }
}
