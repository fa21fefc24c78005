import ArgumentParser
import Baselines
import Features
import Foundation
import Runtime

/// `gannet baselines`: what the baselines know about a sender, for "why was this caught?".
struct BaselinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baselines", abstract: "Show the behaviour features the configured baselines store gives a sender writing to recipients.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("state-dir"), help: "State directory, overriding daemon.state_dir (where the embedded store's database is).")
    var stateDirectory: String?

    @Argument(help: "Sender address (From).")
    var sender: String

    @Option(name: .customLong("to"), help: "Recipient address (repeatable).")
    var recipients: [String] = []

    @Option(name: .long, help: "From's display name.")
    var name = ""

    @Option(name: .long, help: "Time of the lookup in seconds since 1970; now by default.")
    var at: Int64?

    func run() throws {
        var config = try options.load()
        if let stateDirectory { config.daemon.stateDirectory = stateDirectory }
        let query = BaselineQuery(envelopeSender: sender, fromAddress: sender, fromDisplayName: name, recipients: recipients,
                                  at: at ?? Int64(Date().timeIntervalSince1970))
        let opened: (lookup: any BaselineLookup, source: String)?
        do {
            opened = try BaselineService.lookup(config)
        } catch {
            throw ValidationError(error.description)
        }
        guard let (lookup, source) = opened else { throw ValidationError("baselines.store is \"off\": there is nothing to show") }
        let signals = lookup.signals(for: query)
        guard signals[.storeFallback] == 0 else { throw ValidationError("\(source) did not answer") }
        print("\(sender)\(name.isEmpty ? "" : " (\(name))") → \(recipients.isEmpty ? "no recipients" : recipients.joined(separator: ", ")) (\(source))")
        let width = Feature.behaviour.map { FeatureSchema.definitions[$0.rawValue].name.count }.max() ?? 0
        for feature in Feature.behaviour {
            let definition = FeatureSchema.definitions[feature.rawValue]
            let padded = definition.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("  \(padded)  \(String(format: "%10.3f", signals[feature]))  \(definition.summary)")
        }
    }
}
