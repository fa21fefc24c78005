import Foundation

/// Reads labelled corpora: a manifest (`path label source split [category]`, tab-separated,
/// paths relative to the manifest), or directories of .eml files, Maildirs (cur/ and new/) and
/// mbox files, labelled by the caller.
public enum CorpusReader {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Entries of a manifest, optionally only one split. Malformed lines are errors with
    /// their line number: a manifest is written by people and tools, and a silent skip hides
    /// a mislabelled corpus.
    public static func manifest(_ path: String, split: String? = nil) throws -> [CorpusEntry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure(description: "\(path): cannot read the manifest")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        var entries: [CorpusEntry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            if number == 0, fields.first == "path" { continue }
            if fields.allSatisfy(\.isEmpty) { continue }
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw Failure(description: "\(path):\(number + 1): expected 'path<TAB>label[<TAB>source<TAB>split]'")
            }
            let entrySplit = fields.count > 3 ? fields[3] : ""
            if let split, entrySplit != split { continue }
            let location = fields[0].hasPrefix("/") ? fields[0] : base.appendingPathComponent(fields[0]).path
            entries.append(CorpusEntry(location: location, label: fields[1], source: fields.count > 2 ? fields[2] : "", split: entrySplit,
                                       category: fields.count > 4 ? fields[4] : ""))
        }
        return entries
    }

    /// Every message under `path`: files ending in .eml (or any regular file in a Maildir's
    /// cur/ and new/), and the messages of mbox files (files starting with "From ").
    public static func directory(_ path: String, label: String) throws -> [CorpusEntry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(description: "\(path): no such file or directory")
        }
        let files: [String]
        if isDirectory.boolValue {
            let walker = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let relative = walker?.nextObject() as? String {
                let full = path + "/" + relative
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue { found.append(full) }
            }
            files = found.sorted()
        } else {
            files = [path]
        }
        var entries: [CorpusEntry] = []
        for file in files {
            let inMaildir = file.contains("/cur/") || file.contains("/new/")
            if file.hasSuffix(".eml") || inMaildir {
                entries.append(CorpusEntry(location: file, label: label))
            } else if let data = FileManager.default.contents(atPath: file), data.starts(with: Array("From ".utf8)) {
                for (index, message) in splitMbox([UInt8](data)).enumerated() {
                    entries.append(CorpusEntry(location: "\(file)#\(index)", label: label, inlineBytes: message))
                }
            }
        }
        return entries
    }

    /// Splits an mbox at lines starting "From " and undoes ">From " quoting (mboxrd).
    public static func splitMbox(_ bytes: [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var current: [UInt8]?
        var index = 0
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: 10).map { $0 + 1 } ?? bytes.count
            let line = bytes[index..<end]
            if line.starts(with: Array("From ".utf8)) {
                if let finished = current { messages.append(finished) }
                current = []
            } else if current != nil {
                var unquoted = line[...]
                if let first = unquoted.firstIndex(where: { $0 != UInt8(ascii: ">") }), first > unquoted.startIndex,
                   unquoted[first...].starts(with: Array("From ".utf8)) {
                    unquoted = unquoted.dropFirst()
                }
                current!.append(contentsOf: unquoted)
            }
            index = end
        }
        if let finished = current { messages.append(finished) }
        return messages
    }

    /// The bytes of an entry, as an MTA would receive them.
    public static func read(_ entry: CorpusEntry) -> Result<[UInt8], Failure> {
        if let bytes = entry.inlineBytes { return .success(bytes) }
        guard let data = FileManager.default.contents(atPath: entry.location) else {
            return .failure(Failure(description: "cannot read"))
        }
        return .success(withoutEnvelopeLine([UInt8](data)))
    }

    /// A stored message without the mbox envelope line ("From sender date") that mail stores
    /// put before it. That line is not part of the message an MTA receives: left in, it
    /// ends the header block at once, so the message would seem to have no headers at all.
    public static func withoutEnvelopeLine(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.starts(with: Array("From ".utf8)) else { return bytes }
        guard let newline = bytes.firstIndex(of: 10) else { return [] }
        return Array(bytes[(newline + 1)...])
    }
}
