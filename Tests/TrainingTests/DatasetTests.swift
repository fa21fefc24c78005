import Features
import Foundation
import Testing
import Training

@Suite struct CorpusReaderTests {
    func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "gannet-corpus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func manifestsGiveLabelsSplitsAndResolvedPaths() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "path\tlabel\tsource\tsplit\nham/a.eml\tham\tlocal\ttrain\nphish/b.eml\tphish\tpot\ttest\n\n".write(toFile: "\(directory)/manifest.tsv", atomically: true, encoding: .utf8)
        let all = try CorpusReader.manifest("\(directory)/manifest.tsv")
        #expect(all.map(\.label) == ["ham", "phish"])
        #expect(all[0].location == "\(directory)/ham/a.eml")
        #expect(try CorpusReader.manifest("\(directory)/manifest.tsv", split: "test").map(\.label) == ["phish"])
        #expect(all.map(\.category) == ["", ""])
    }

    @Test func anOptionalFifthColumnGivesTheAttackCategory() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "path\tlabel\tsource\tsplit\tcategory\na.eml\tphish\tpot\ttest\tbec\nb.eml\tphish\tpot\ttest\t\n".write(toFile: "\(directory)/m.tsv", atomically: true, encoding: .utf8)
        #expect(try CorpusReader.manifest("\(directory)/m.tsv").map(\.category) == ["bec", ""])
    }

    @Test func aBrokenManifestLineIsAnErrorWithItsNumber() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "a.eml\tham\nno-label-here\n".write(toFile: "\(directory)/m.tsv", atomically: true, encoding: .utf8)
        #expect(throws: CorpusReader.Failure.self) { try CorpusReader.manifest("\(directory)/m.tsv") }
        do { _ = try CorpusReader.manifest("\(directory)/m.tsv") } catch { #expect("\(error)".hasSuffix("m.tsv:2: expected 'path<TAB>label[<TAB>source<TAB>split]'")) }
    }

    @Test func mboxMessagesAreSplitAndUnquoted() {
        let mbox = Array("From a@x Tue Jul  1 10:00:00 2025\nSubject: one\n\n>From the start\nbody\nFrom b@x Tue Jul  1 10:00:01 2025\nSubject: two\n\nsecond\n".utf8)
        let messages = CorpusReader.splitMbox(mbox).map { String(decoding: $0, as: UTF8.self) }
        #expect(messages == ["Subject: one\n\nFrom the start\nbody\n", "Subject: two\n\nsecond\n"])
    }

    /// Stores put "From sender date" before a message; an MTA never receives that line, and
    /// left in it would end the header block before the first header.
    @Test func aStoredMessageLosesItsEnvelopeLine() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "From someone@example.org  Thu Aug 22 12:46:39 2002\nFrom: someone@example.org\nSubject: hi\n\nbody\n".write(toFile: "\(directory)/a.eml", atomically: true, encoding: .utf8)
        let bytes = try CorpusReader.read(CorpusEntry(location: "\(directory)/a.eml", label: "ham")).get()
        #expect(String(decoding: bytes, as: UTF8.self) == "From: someone@example.org\nSubject: hi\n\nbody\n")
        #expect(CorpusReader.withoutEnvelopeLine(Array("From: a@b\n\nx".utf8)) == Array("From: a@b\n\nx".utf8))
        #expect(CorpusReader.withoutEnvelopeLine(Array("From nobody".utf8)) == [])
    }

    @Test func directoriesReadEmlMaildirAndMbox() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/box/cur", withIntermediateDirectories: true)
        try "Subject: eml\n\nx\n".write(toFile: "\(directory)/one.eml", atomically: true, encoding: .utf8)
        try "Subject: maildir\n\nx\n".write(toFile: "\(directory)/box/cur/1700000000.1.host:2,S", atomically: true, encoding: .utf8)
        try "From a@x Tue Jul  1 10:00:00 2025\nSubject: m1\n\nx\nFrom b@x Tue Jul  1 10:00:00 2025\nSubject: m2\n\ny\n".write(toFile: "\(directory)/archive.mbox", atomically: true, encoding: .utf8)
        let entries = try CorpusReader.directory(directory, label: "spam")
        #expect(entries.count == 4)
        #expect(entries.allSatisfy { $0.label == "spam" })
        #expect(entries.filter { $0.location.contains("archive.mbox#") }.count == 2)
    }
}

@Suite struct DatasetBuilderTests {
    @Test func theTableHasOneRowPerReadableMessageInOrder() throws {
        let directory = NSTemporaryDirectory() + "gannet-dataset-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var entries: [CorpusEntry] = []
        for index in 0..<150 {
            let path = "\(directory)/m\(index).eml"
            try "From: a\(index)@example.org\nSubject: verify your account \(index)\n\nhttp://198.51.100.\(index % 250)/login\n".write(toFile: path, atomically: true, encoding: .utf8)
            entries.append(CorpusEntry(location: path, label: index % 2 == 0 ? "ham" : "phish", source: "test", split: "train"))
        }
        entries.insert(CorpusEntry(location: "\(directory)/missing, really.eml", label: "ham"), at: 3)
        var output = ""
        let summary = try DatasetBuilder(settings: FeatureSettings(), pass: .full).build(entries) { output += $0 }
        #expect(summary.rows == 150)
        #expect(summary.skipped.map(\.location) == ["\(directory)/missing, really.eml"])
        let lines = output.split(separator: "\n")
        #expect(lines.count == 151)
        #expect(lines[0] == Substring(DatasetBuilder.header))
        let header = lines[0].split(separator: ",")
        #expect(header.count == FeatureSchema.count + 5)
        let urlIP = header.firstIndex(of: "url_ip_host")!
        let phrase = header.firstIndex(of: "phrase_credentials")!
        for (index, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == header.count)
            #expect(fields[0] == Substring("\(directory)/m\(index).eml"))
            #expect(fields[urlIP] == "1" && fields[phrase] == "1")
            #expect(fields.last?.contains(":") == true)
        }
    }
}
