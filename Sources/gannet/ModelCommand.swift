import ArgumentParser
import Detection
import Features
import Foundation

/// `gannet model`: what a model file holds, and the same model in the other form.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Show a model file, or export it as JSON (readable, diffable) or compact (fast to load).",
        subcommands: [ModelShow.self, ModelExport.self]
    )

    /// Reads and decodes a model file of either form, without validating it against the extractor.
    static func read(_ path: String) throws -> (document: ModelDocument, bytes: [UInt8]) {
        let bytes: [UInt8]
        do { bytes = try ModelFile.read(path) } catch { throw ValidationError("cannot read \(path): \(error)") }
        do { return (try ModelFile.decode(bytes), bytes) } catch { throw ValidationError("\(path): \(error.reason)") }
    }
}

struct ModelShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Identity, thresholds, sizes and load time of a model file.")

    @Argument(help: "Model file (compact or JSON).")
    var path: String

    func run() throws {
        // One read: the load time covers reading, decoding and validating, as the daemon does.
        let started = ContinuousClock.now
        let (document, bytes) = try ModelCommand.read(path)
        var validation = "loads in this Gannet"
        var loadTime = Duration.zero
        do {
            _ = try CompiledModel(document)
            loadTime = ContinuousClock.now - started
        } catch {
            validation = "refused by this Gannet: \(error)"
        }
        let form = CompactModelFile.isCompact(bytes) ? "compact (layout \(CompactModelFile.layoutVersion))" : "JSON"
        let thresholds = document.thresholds
        print("""
            \(path): model \(document.id)
              form: \(form), \(bytes.count) bytes, format version \(document.formatVersion)
              created \(document.created); training data \(document.trainingData)
              feature schema \(document.featureSchema)\(document.featureSchema == FeatureSchema.digest ? " (this extractor's)" : " (this extractor has \(FeatureSchema.digest))")
              thresholds: quarantine ≥ \(thresholds.quarantine), accept < \(thresholds.accept)\(thresholds.fullQuarantine.map { ", full pass quarantine ≥ \($0)" } ?? "")
              inline scorer: \(Self.describe(document.inline))
              full scorer: \(document.full.map(Self.describe) ?? "the inline scorer")
              \(validation)\(loadTime > .zero ? ", read, decoded and validated in \(Self.milliseconds(loadTime)) ms" : "")
            """)
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1e3)
    }

    static func describe(_ model: SubModelDocument) -> String {
        switch model {
        case .linear(let linear): describe(linear)
        case .trees(let trees): describe(trees)
        case .stacked(let stacked): "stacked: text \(describe(stacked.text)) into \(describe(stacked.trees))"
        }
    }

    static func describe(_ linear: LinearModelDocument) -> String {
        "linear, \(linear.weights.count) feature weights, \(linear.ngramWeights?.count ?? 0) n-gram weights"
    }

    static func describe(_ trees: TreeEnsembleDocument) -> String {
        "\(trees.trees.count) trees, \(trees.trees.reduce(0) { $0 + $1.feature.count }) nodes"
    }
}

struct ModelExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model file in the other form; the same document, byte for byte the same on every run."
    )

    @Flag(help: "The form to write.")
    var form: Form = .json

    enum Form: String, EnumerableFlag {
        case json, compact
    }

    @Option(name: .long, help: "Output file; JSON goes to standard output without it.")
    var out: String?

    @Argument(help: "Model file (compact or JSON).")
    var path: String

    func validate() throws {
        if form == .compact, out == nil { throw ValidationError("--compact needs --out FILE") }
    }

    func run() throws {
        let (document, _) = try ModelCommand.read(path)
        let bytes = try ModelFile.encode(document, as: form == .json ? .json : .compact)
        guard let out else {
            FileHandle.standardOutput.write(Data(bytes + [10]))
            return
        }
        try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
        print("\(out): model \(document.id), \(form.rawValue), \(bytes.count) bytes")
    }
}
