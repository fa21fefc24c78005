import ArgumentParser
import Foundation
import Runtime

/// `gannet vips`: the protected names (VIPs) attackers impersonate, from the company directory.
struct VIPsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vips", abstract: "Protected display names (VIPs) from a directory export.",
                                                    subcommands: [VIPsImport.self])
}

/// `gannet vips import`: a names file for `detection.protected_names_file` from a CSV or an
/// LDAP LDIF export.
struct VIPsImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Write a protected-names file from a CSV (a name column, or first and last names) or an LDIF export (displayName, else cn).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, ldif
    }

    @Option(name: .long, help: "The directory export.")
    var from: String

    @Option(name: .long, help: "csv or ldif; by default from the file's name.")
    var format: Format?

    @Option(name: .long, help: "CSV column holding the display name.")
    var column: String?

    @Option(name: .long, help: "Names file to write (for detection.protected_names_file); standard output if absent.")
    var out: String?

    func run() throws {
        guard let text = try? String(contentsOfFile: from, encoding: .utf8) else { throw ValidationError("cannot read \(from) as UTF-8 text") }
        let names: [String]
        switch format ?? (from.lowercased().hasSuffix(".ldif") ? .ldif : .csv) {
        case .csv:
            do { names = try ProtectedNames.fromCSV(text, column: column) } catch { throw ValidationError("\(from): \(error)") }
        case .ldif:
            names = ProtectedNames.fromLDIF(text)
        }
        guard !names.isEmpty else { throw ValidationError("\(from): no names found") }
        let file = "# Protected display names from \((from as NSString).lastPathComponent), written by gannet vips import\n" + names.joined(separator: "\n") + "\n"
        guard let out else { return print(file, terminator: "") }
        try file.write(toFile: out, atomically: true, encoding: .utf8)
        print("\(out): \(names.count) names; set detection.protected_names_file = \"\(out)\" and reload")
    }
}
