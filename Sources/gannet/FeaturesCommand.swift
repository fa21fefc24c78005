import ArgumentParser
import Features
import FilterCore
import Foundation
import MailParsing
import Runtime

/// `gannet features`: a message's feature vector, named, for debugging detection.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "features", abstract: "Print the feature vector of message files, named.")

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "The inline pass (stops at the inline byte budget) instead of the full pass.")
    var inline = false

    @Flag(name: .long, help: "Also print features whose value is 0.")
    var all = false

    @Flag(name: .long, help: "Print the feature schema (name, group, cost, meaning) and its digest instead.")
    var schema = false

    @OptionGroup var workers: JobsOption

    @Argument(help: "Message files.")
    var paths: [String] = []

    func validate() throws {
        if !schema, paths.isEmpty { throw ValidationError("give message files, or --schema") }
    }

    func run() throws {
        if schema {
            print("schema \(FeatureSchema.digest): \(FeatureSchema.count) features + \(TextNGrams.bucketCount) hashed n-gram buckets")
            for definition in FeatureSchema.definitions {
                print("\(definition.name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(definition.group.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(definition.cost.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(definition.summary)")
            }
            return
        }
        let config = try options.load()
        let allHandled = MessageFiles.eachMessage(paths, jobs: workers.jobs) { path, data in
            var lines: [String] = []
            func print(_ line: String) { lines.append(line) }
            let message = RawMessage(bytes: data)
            let pass: FeatureExtractor.Pass = inline ? .inline(byteBudget: config.policy.inlineByteBudget) : .full
            var limits = ParserLimits()
            limits.hashAttachments = true
            let (vector, extractor) = message.extract(settings: config.features, pass: pass, envelope: MessageEnvelope(sender: MilterReplay(deriving: message).envelopeSender), limits: limits)
            print("\(path): schema \(FeatureSchema.digest), \(inline ? "inline" : "full") pass")
            for (definition, value) in zip(FeatureSchema.definitions, vector.values) where all || value != 0 {
                print("  \(definition.name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(Self.format(value))   \(definition.group.rawValue)")
            }
            for part in extractor.parts {
                var line = "  part \(part.index): \(part.contentType) depth=\(part.depth) \(part.decodedBytes) bytes"
                if let name = part.filename { line += " name=\"\(name)\"" }
                if let sniffed = part.sniffedType { line += " sniffed=\(sniffed.rawValue)" }
                if let hash = part.sha256 { line += " sha256=\(hash)" }
                if !part.zipMembers.isEmpty { line += " zip=[\(part.zipMembers.joined(separator: ", "))]" }
                print(line)
            }
            print("  ngrams: \(vector.ngrams.count) distinct buckets")
            return (lines.joined(separator: "\n"), true)
        }
        if !allHandled { throw ExitCode(1) }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.4f", value)
    }
}
