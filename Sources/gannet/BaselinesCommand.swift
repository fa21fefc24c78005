import ArgumentParser
import Features
import Foundation

/// `gannet baselines`: what the baselines know, and seeding them from a site's mail.
struct BaselinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baselines", abstract: "Show what the baselines know about a sender, or seed them from existing mail.",
        subcommands: [BaselinesShow.self, BaselinesImport.self], defaultSubcommand: BaselinesShow.self)
}

/// `gannet baselines [show]`: what the baselines know about a sender, for "why was this caught?".
struct BaselinesShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the behaviour features the configured baselines store gives a sender writing to recipients.")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var store: BaselineStoreOptions

    @Argument(help: "Sender address (From).")
    var sender: String

    @Option(name: .customLong("to"), help: "Recipient address (repeatable).")
    var recipients: [String] = []

    @Option(name: .long, help: "From's display name.")
    var name = ""

    @Option(name: .long, help: "Time of the lookup in seconds since 1970; now by default.")
    var at: Int64?

    func run() throws {
        let (lookup, source) = try store.lookup(try options.load())
        let query = BaselineQuery(envelopeSender: sender, fromAddress: sender, fromDisplayName: name, recipients: recipients,
                                  at: at ?? Int64(Date().timeIntervalSince1970))
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
