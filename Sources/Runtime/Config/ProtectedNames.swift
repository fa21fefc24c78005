import Foundation
import SwiftCSV

/// Protected display names (VIPs) from a directory export: a CSV with a name column, or an
/// LDAP LDIF whose entries carry `displayName` (else `cn`). The names file it writes is one
/// name a line, what `detection.protected_names_file` reads.
public enum ProtectedNames {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Names in a names file: one a line, `#` starts a comment.
    public static func readFile(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// The names in a CSV export: the `column` (case-insensitive header), else a column named
    /// display name or name, else first and last name columns joined.
    /// The delimiter (comma, semicolon or tab) is guessed, as directory tools differ.
    public static func fromCSV(_ text: String, column: String? = nil) throws(Failure) -> [String] {
        let csv: CSV<Enumerated>
        do { csv = try CSV<Enumerated>(string: text, loadColumns: false) } catch { throw Failure(description: "not a CSV file: \(error)") }
        let header = csv.header.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        guard !header.isEmpty else { return [] }
        func index(_ names: [String]) -> Int? { names.lazy.compactMap { header.firstIndex(of: $0) }.first }
        let body = csv.rows
        if let column {
            guard let found = index([column.lowercased()]) else { throw Failure(description: "no column '\(column)' in \(header)") }
            return unique(body.map { $0.count > found ? $0[found] : "" })
        }
        if let found = index(["displayname", "display name", "display_name", "name", "full name", "fullname"]) {
            return unique(body.map { $0.count > found ? $0[found] : "" })
        }
        guard let first = index(["first name", "firstname", "first_name", "givenname", "given name"]),
              let last = index(["last name", "lastname", "last_name", "sn", "surname"]) else {
            throw Failure(description: "no name column in \(header): give --column")
        }
        return unique(body.map { row in [first, last].map { row.count > $0 ? row[$0] : "" }.joined(separator: " ") })
    }

    /// The names in an LDIF export: each entry's `displayName`, else its `cn` (base64 values
    /// decoded, folded lines joined).
    public static func fromLDIF(_ text: String) -> [String] {
        var names: [String] = []
        for entry in text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n ", with: "").components(separatedBy: "\n\n") {
            var attributes: [String: String] = [:]
            for line in entry.split(separator: "\n") where !line.hasPrefix("#") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].lowercased()
                var value = line[line.index(after: colon)...]
                if value.hasPrefix(":") {
                    value = value.dropFirst()
                    let decoded = Data(base64Encoded: value.trimmingCharacters(in: .whitespaces)).flatMap { String(data: $0, encoding: .utf8) }
                    attributes[key] = attributes[key] ?? decoded
                } else {
                    attributes[key] = attributes[key] ?? value.trimmingCharacters(in: .whitespaces)
                }
            }
            if let name = attributes["displayname"] ?? attributes["cn"] { names.append(name) }
        }
        return unique(names)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}
