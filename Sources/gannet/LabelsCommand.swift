import ArgumentParser
import Foundation
import Runtime
import Training

/// `gannet labels`: the ledger of every label that can reach training.
struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "labels", abstract: "List, revoke and import the labels retraining learns from.",
                                                    subcommands: [LabelsList.self, LabelsRevoke.self, LabelsImport.self])
}

struct LabelsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The labels retraining uses now (with --all, every record, revocations included).")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Every record of the ledger, revoked labels and revocations included.")
    var all = false

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        let ledger = LabelLedger(path: LabelLedger.path(for: try options.load()))
        let records = all ? try ledger.records() : try ledger.currentView()
        for record in records {
            if json {
                print(String(decoding: try JSONEncoder.sorted.encode(record), as: UTF8.self))
            } else if record.kind == .revoke {
                print("\(record.id)  revokes \(record.revokes ?? "-")  by \(record.who)\(record.reason.map { ": \($0)" } ?? "")")
            } else {
                print("\(record.id)  \((record.label ?? "-").padding(toLength: 5, withPad: " ", startingAt: 0)) \(record.source?.rawValue ?? "-")  by \(record.who)  verdict \(record.verdictID ?? "-")  \(record.file ?? "")")
            }
        }
        if !json { print("\(records.count) \(all ? "records" : "labels in use")") }
    }
}

struct LabelsRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Take labels back: the next retraining leaves their messages out.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Why, for the record.")
    var reason: String?

    @Argument(help: "Label ids (l-…).")
    var ids: [String]

    func run() throws {
        let ledger = LabelLedger(path: LabelLedger.path(for: try options.load()))
        let inUse = Set(try ledger.currentView().map(\.id))
        for id in ids {
            guard inUse.contains(id) else { throw ValidationError("\(id) is not a label in use (gannet labels list)") }
            try ledger.append(.revocation(of: id, reason: reason, who: LabelRecord.currentUser))
            print("\(id): revoked")
        }
    }
}

struct LabelsImport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Label stored messages (Maildirs, .eml trees) for retraining, in place.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "ham, spam or phish.")
    var label: FeedbackFolder.Label

    @Argument(help: "Maildirs or directories of .eml files (absolute paths are recorded).")
    var paths: [String]

    func run() throws {
        let ledger = LabelLedger(path: LabelLedger.path(for: try options.load()))
        let known = Set(try ledger.currentView().compactMap(\.file))
        var added: [LabelRecord] = [], inMbox = 0
        for path in paths {
            for entry in try CorpusReader.directory(URL(fileURLWithPath: path).standardizedFileURL.path, label: label.rawValue) where !known.contains(entry.location) {
                // A label names a file; a message inside an mbox has none of its own.
                guard entry.inlineBytes == nil else { inMbox += 1; continue }
                added.append(.label(label.rawValue, file: entry.location, source: .import, who: LabelRecord.currentUser))
            }
        }
        try ledger.append(added)
        print("\(added.count) messages labelled \(label.rawValue)" + (inMbox > 0 ? "; \(inMbox) in mbox files left out (split them into .eml files or a Maildir)" : ""))
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
