import MailParsing
import Testing

@Suite struct ZipMemberScannerTests {
    /// An archive passed to a parameterised test, shown by name.
    struct Fixture: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    /// Everything the scanner reports, comparable in one go.
    struct Outcome: Equatable, CustomStringConvertible {
        var names: [String]
        var encryptedMembers: Int
        var membersDropped: Int
        var malformed: Bool
        var sawCentralDirectory: Bool

        var description: String {
            "names: \(names), encrypted: \(encryptedMembers), dropped: \(membersDropped), malformed: \(malformed), central: \(sawCentralDirectory)"
        }
    }

    /// Scans `bytes` fed in chunks of `chunk` bytes (0: all at once).
    private static func scan(_ bytes: [UInt8], chunk: Int = 0, limits: ZipMemberScanner.Limits = .init()) -> Outcome {
        var scanner = ZipMemberScanner(limits: limits)
        let size = chunk > 0 ? chunk : max(1, bytes.count)
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            bytes[start..<end].withUnsafeBytes { scanner.feed($0) }
            start = end
        }
        scanner.finish()
        return Outcome(
            names: scanner.names, encryptedMembers: scanner.encryptedMembers, membersDropped: scanner.membersDropped,
            malformed: scanner.malformed, sawCentralDirectory: scanner.sawCentralDirectory)
    }

    private static func clean(_ names: [String], encrypted: Int = 0) -> Outcome {
        Outcome(names: names, encryptedMembers: encrypted, membersDropped: 0, malformed: false, sawCentralDirectory: true)
    }

    // MARK: - Archives written by Python's zipfile

    @Test func storedAndDeflatedMembers() {
        let outcome = Self.scan(Fixtures.mixed)
        #expect(outcome == Self.clean(["readme.txt", "docs/report.pdf", "invoice.pdf.exe", "résumé/файл.txt", "inner.zip"]))
        // The nested archive is skipped as data, not scanned.
        #expect(!outcome.names.contains("payload.js"))
    }

    @Test func streamedMembersWithDataDescriptors() {
        // "stored.bin" is stored data containing "PK\x01\x02", which must not end the member.
        #expect(Self.scan(Fixtures.streamed) == Self.clean(["a.txt", "b/c.lnk", "stored.bin"]))
        #expect(Self.scan(Fixtures.streamedZip64) == Self.clean(["a.txt", "b/c.lnk", "stored.bin"]))
    }

    @Test func encryptedMembersAreCountedOnce() {
        #expect(Self.scan(Fixtures.encrypted) == Self.clean(["clear.txt", "secret.docm"], encrypted: 1))
        #expect(Self.scan(Fixtures.aes) == Self.clean(["vault.xlsm", "plain.txt"], encrypted: 1))
    }

    @Test func zip64SizesAndRecords() {
        #expect(Self.scan(Fixtures.zip64) == Self.clean(["big.bin", "after.txt"]))
        #expect(Self.scan(Fixtures.zip64Records) == Self.clean(["one.txt", "two.txt"]))
    }

    @Test func emptyArchive() {
        let outcome = Self.scan([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        #expect(outcome == Outcome(names: [], encryptedMembers: 0, membersDropped: 0, malformed: false, sawCentralDirectory: false))
    }

    @Test(arguments: Fixtures.all)
    func chunkingNeverChangesTheOutcome(_ fixture: Fixture) {
        let archive = fixture.bytes
        let whole = Self.scan(archive)
        #expect(!whole.malformed)
        for chunk in [1, 2, 7, 64] {
            #expect(Self.scan(archive, chunk: chunk) == whole, "chunks of \(chunk)")
        }
    }

    @Test(arguments: Fixtures.all)
    func everyTruncationIsMalformed(_ fixture: Fixture) {
        let archive = fixture.bytes
        for length in 0..<archive.count {
            let outcome = Self.scan(Array(archive.prefix(length)), chunk: 5)
            #expect(outcome.malformed, "cut at \(length)")
        }
    }

    // MARK: - Hand-built archives

    @Test func membersBeyondTheLimitAreCounted() {
        let entries = (0..<30).map { ZipBuilder.Entry(name: "file\($0).txt", data: Array("x".utf8)) }
        var limits = ZipMemberScanner.Limits()
        limits.maxMembers = 10
        let outcome = Self.scan(ZipBuilder.build(entries), chunk: 3, limits: limits)
        #expect(outcome.names == (0..<10).map { "file\($0).txt" })
        #expect(outcome.membersDropped == 20)
        #expect(!outcome.malformed)
    }

    @Test func longNamesAreTruncatedAndCounted() {
        let long = String(repeating: "invoice", count: 500) + ".pdf.exe"
        var limits = ZipMemberScanner.Limits()
        limits.maxNameBytes = 16
        let outcome = Self.scan(ZipBuilder.build([.init(name: long, data: [1, 2, 3]), .init(name: "b.txt", data: [])]), chunk: 7, limits: limits)
        #expect(outcome == Self.clean([String(long.prefix(16)), "b.txt"]))
    }

    @Test func duplicateNamesAreKept() {
        let archive = ZipBuilder.build([.init(name: "a.txt", data: [1]), .init(name: "a.txt", data: [2]), .init(name: "b", data: [])])
        #expect(Self.scan(archive) == Self.clean(["a.txt", "a.txt", "b"]))
    }

    @Test func membersMissingFromEitherListAreReported() {
        let archive = ZipBuilder.build([
            .init(name: "shown.txt", data: [1]),
            .init(name: "hidden.exe", data: [2], inCentral: false),
            .init(name: "ghost.js", data: [], inLocal: false),
        ])
        #expect(Self.scan(archive) == Self.clean(["shown.txt", "hidden.exe", "ghost.js"]))
    }

    @Test func largeExtraFieldsAreSkipped() {
        // 1 KiB of padding first, then the AES record past what is kept: not seen, but the walk goes on.
        let padding = [0xFE, 0xCA, 0xFC, 0x0F] + [UInt8](repeating: 0, count: 4_092)
        let aes: [UInt8] = [0x01, 0x99, 0x07, 0x00, 0x02, 0x00, 0x41, 0x45, 0x03, 0x08, 0x00]
        let archive = ZipBuilder.build([.init(name: "a", data: [1, 2], extra: padding + aes), .init(name: "b", data: [3], extra: aes)])
        #expect(Self.scan(archive, chunk: 64) == Self.clean(["a", "b"], encrypted: 1))
    }

    @Test func executableStubBeforeTheArchiveIsSkipped() {
        // Self-extracting archives put a program first; names are still found, the input flagged.
        let archive = Array("MZ\u{90}\u{0}stub program".utf8) + ZipBuilder.build([.init(name: "setup.exe", data: [1])])
        let outcome = Self.scan(archive, chunk: 2)
        #expect(outcome.names == ["setup.exe"])
        #expect(outcome.malformed)
    }

    @Test func streamedMemberWithoutFollowingSignatureIsMalformed() {
        var archive = ZipBuilder.localHeader(name: Array("x.bin".utf8), flags: 0x08, size: 0, extra: [])
        archive += Array("data that never ends".utf8)
        let outcome = Self.scan(archive)
        #expect(outcome.names == ["x.bin"])
        #expect(outcome.malformed)
        #expect(!outcome.sawCentralDirectory)
    }

    @Test func endRecordWithoutCentralDirectoryIsMalformed() {
        var archive = ZipBuilder.localHeader(name: Array("a".utf8), flags: 0, size: 1, extra: []) + [0x41]
        archive += [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        let outcome = Self.scan(archive)
        #expect(outcome.names == ["a"])
        #expect(outcome.malformed)
    }

    @Test func garbageNeverTraps() {
        var random = SeededGenerator(seed: 0x5EED)
        let signatures: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x01, 0x02], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08], [0x50, 0x4B, 0x06, 0x06]]
        var limits = ZipMemberScanner.Limits()
        limits.maxMembers = 8
        limits.maxNameBytes = 32
        for round in 0..<400 {
            var bytes = (0..<Int(random.next() % 3_000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // Plant signatures so the header paths, not just the resync scan, see random fields.
            for _ in 0..<Int(random.next() % 12) where !bytes.isEmpty {
                let at = Int(random.next() % UInt64(bytes.count))
                let signature = signatures[Int(random.next() % UInt64(signatures.count))]
                bytes.replaceSubrange(at..<min(at + 4, bytes.count), with: signature)
            }
            if round % 2 == 0 { bytes = signatures[0] + bytes }
            let outcome = Self.scan(bytes, chunk: Int(random.next() % 80), limits: limits)
            #expect(outcome.names.count <= 8)
            #expect(outcome.names.allSatisfy { $0.utf8.count <= 32 * 3 })
        }
    }

    @Test func corruptedArchivesNeverTrap() {
        var random = SeededGenerator(seed: 99)
        for fixture in Fixtures.all {
            for _ in 0..<200 {
                var bytes = fixture.bytes
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
                let whole = Self.scan(bytes)
                #expect(Self.scan(bytes, chunk: 3) == whole)
            }
        }
    }

    @Test func inputAfterFinishIsIgnored() {
        var scanner = ZipMemberScanner()
        scanner.feed(Fixtures.encrypted)
        scanner.finish()
        scanner.feed(Fixtures.mixed)
        scanner.finish()
        #expect(scanner.names == ["clear.txt", "secret.docm"])
        #expect(!scanner.malformed)
    }
}

/// Writes stored archives with chosen quirks (CRCs are left zero: the scanner never reads them).
private enum ZipBuilder {
    struct Entry {
        var name: String
        var data: [UInt8]
        var flags: UInt16 = 0
        var extra: [UInt8] = []
        var inCentral = true
        var inLocal = true
    }

    static func le(_ value: Int, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func localHeader(name: [UInt8], flags: UInt16, size: Int, extra: [UInt8]) -> [UInt8] {
        [0x50, 0x4B, 0x03, 0x04] + le(20, 2) + le(Int(flags), 2) + le(0, 2) + le(0, 4) + le(0, 4) + le(size, 4) + le(size, 4)
            + le(name.count, 2) + le(extra.count, 2) + name + extra
    }

    static func build(_ entries: [Entry]) -> [UInt8] {
        var archive: [UInt8] = []
        var central: [UInt8] = []
        var centralCount = 0
        for entry in entries {
            let name = Array(entry.name.utf8)
            let offset = archive.count
            if entry.inLocal {
                archive += localHeader(name: name, flags: entry.flags, size: entry.data.count, extra: entry.extra) + entry.data
            }
            guard entry.inCentral else { continue }
            central += [0x50, 0x4B, 0x01, 0x02] + le(20, 2) + le(20, 2) + le(Int(entry.flags), 2) + le(0, 2) + le(0, 4) + le(0, 4)
            central += le(entry.data.count, 4) + le(entry.data.count, 4) + le(name.count, 2) + le(entry.extra.count, 2)
            central += le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + name + entry.extra
            centralCount += 1
        }
        let end = [0x50, 0x4B, 0x05, 0x06] + le(0, 2) + le(0, 2) + le(centralCount, 2) + le(centralCount, 2)
            + le(central.count, 4) + le(archive.count, 4) + le(0, 2)
        return archive + central + end
    }
}

/// Archives written once by Python 3.11's zipfile (see each comment) and kept here as base64.
private enum Fixtures {
    static var all: [ZipMemberScannerTests.Fixture] {
        [
            .init(name: "mixed", bytes: mixed), .init(name: "streamed", bytes: streamed),
            .init(name: "streamedZip64", bytes: streamedZip64), .init(name: "encrypted", bytes: encrypted),
            .init(name: "aes", bytes: aes), .init(name: "zip64", bytes: zip64), .init(name: "zip64Records", bytes: zip64Records),
        ]
    }

    /// Stored and deflated members, a UTF-8 name (flag bit 11), a nested stored `inner.zip`.
    static let mixed = decode("""
        UEsDBBQAAAAAAIMYIlgo/qvJDwAAAA8AAAAKAAAAcmVhZG1lLnR4dFJlYWQgbWUgZmlyc3QuClBLAwQUAAAACACDGCJYQRGqRg8A
        AAA1AQAADwAAAGRvY3MvcmVwb3J0LnBkZlMNcHHTNdQz4aoYBUQDAFBLAwQUAAAACACDGCJYEHTNIQgAAADMAAAADwAAAGludm9p
        Y2UucGRmLmV4ZfONmsAwXAAAUEsDBBQAAAgAAIMYIljCx6y7DQAAAA0AAAAVAAAAcsOpc3Vtw6kv0YTQsNC50LsudHh00J/RgNC4
        0LLQtdGCClBLAwQUAAAAAACDGCJYreyXe4wAAACMAAAACQAAAGlubmVyLnppcFBLAwQUAAAACAC5BnldR+Gj4BYAAAAUAAAACgAA
        AHBheWxvYWQuanMLD04uyiwo0XNNzsjXUMrIVNK05gIAUEsBAhQDFAAAAAgAuQZ5XUfho+AWAAAAFAAAAAoAAAAAAAAAAAAAAIAB
        AAAAAHBheWxvYWQuanNQSwUGAAAAAAEAAQA4AAAAPgAAAAAAUEsBAhQDFAAAAAAAgxgiWCj+q8kPAAAADwAAAAoAAAAAAAAAAAAA
        AIABAAAAAHJlYWRtZS50eHRQSwECFAMUAAAACACDGCJYQRGqRg8AAAA1AQAADwAAAAAAAAAAAAAAgAE3AAAAZG9jcy9yZXBvcnQu
        cGRmUEsBAhQDFAAAAAgAgxgiWBB0zSEIAAAAzAAAAA8AAAAAAAAAAAAAAIABcwAAAGludm9pY2UucGRmLmV4ZVBLAQIUAxQAAAgA
        AIMYIljCx6y7DQAAAA0AAAAVAAAAAAAAAAAAAACAAagAAAByw6lzdW3DqS/RhNCw0LnQuy50eHRQSwECFAMUAAAAAACDGCJYreyX
        e4wAAACMAAAACQAAAAAAAAAAAAAAgAHoAAAAaW5uZXIuemlwUEsFBgAAAAAFAAUALAEAAJsBAAAAAA==
        """)

    /// Written to a non-seekable stream: every member has flag bit 3 and a signed data descriptor;
    /// the stored member's data contains "PK\x01\x02".
    static let streamed = decode("""
        UEsDBBQACAAIAIMYIlgAAAAAAAAAAAAAAAAFAAAAYS50eHRLzCnISFRIHDEkAFBLBwgJOvJUCwAAAPAAAABQSwMEFAAIAAgAgxgi
        WAAAAAAAAAAAAAAAAAcAAABiL2MubG5r82FgYGAUYWIgFgAAUEsHCGnzPoAMAAAAMAAAAFBLAwQUAAgAAACDGCJYAAAAAAAAAAAA
        AAAACgAAAHN0b3JlZC5iaW5QSwECIGxvb2tzIGxpa2UgYSBoZWFkZXIgYnV0IGlzIGRhdGFQSwcIS7BWLiQAAAAkAAAAUEsBAhQD
        FAAIAAgAgxgiWAk68lQLAAAA8AAAAAUAAAAAAAAAAAAAAIABAAAAAGEudHh0UEsBAhQDFAAIAAgAgxgiWGnzPoAMAAAAMAAAAAcA
        AAAAAAAAAAAAAIABPgAAAGIvYy5sbmtQSwECFAMUAAgAAACDGCJYS7BWLiQAAAAkAAAACgAAAAAAAAAAAAAAgAF/AAAAc3RvcmVk
        LmJpblBLBQYAAAAAAwADAKAAAADbAAAAAAA=
        """)

    /// The same, with `force_zip64=True`: 0xFFFFFFFF sizes, ZIP64 extras and 64-bit data descriptors.
    static let streamedZip64 = decode("""
        UEsDBC0ACAAIAIMYIlgAAAAA//////////8FABQAYS50eHQBABAAAAAAAAAAAAAAAAAAAAAAAEvMKchIVEgcMSQAUEsHCAk68lQL
        AAAAAAAAAPAAAAAAAAAAUEsDBC0ACAAIAIMYIlgAAAAA//////////8HABQAYi9jLmxuawEAEAAAAAAAAAAAAAAAAAAAAAAA82Fg
        YGAUYWIgFgAAUEsHCGnzPoAMAAAAAAAAADAAAAAAAAAAUEsDBC0ACAAAAIMYIlgAAAAA//////////8KABQAc3RvcmVkLmJpbgEA
        EAAAAAAAAAAAAAAAAAAAAAAAUEsBAiBsb29rcyBsaWtlIGEgaGVhZGVyIGJ1dCBpcyBkYXRhUEsHCEuwVi4kAAAAAAAAACQAAAAA
        AAAAUEsBAi0DLQAIAAgAgxgiWAk68lQLAAAA8AAAAAUAAAAAAAAAAAAAAIABAAAAAGEudHh0UEsBAi0DLQAIAAgAgxgiWGnzPoAM
        AAAAMAAAAAcAAAAAAAAAAAAAAIABWgAAAGIvYy5sbmtQSwECLQMtAAgAAACDGCJYS7BWLiQAAAAkAAAACgAAAAAAAAAAAAAAgAG3
        AAAAc3RvcmVkLmJpblBLBQYAAAAAAwADAKAAAAAvAQAAAAA=
        """)

    /// Two stored members; flag bit 0 patched in afterwards on `secret.docm` (local and central).
    static let encrypted = decode("""
        UEsDBBQAAAAAAIMYIlj5bYo8DwAAAA8AAAAJAAAAY2xlYXIudHh0bm90aGluZyB0byBzZWUKUEsDBBQAAQAAAIMYIlhxISAFMAAA
        ADAAAAALAAAAc2VjcmV0LmRvY20AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi9QSwECFAMU
        AAAAAACDGCJY+W2KPA8AAAAPAAAACQAAAAAAAAAAAAAAgAEAAAAAY2xlYXIudHh0UEsBAhQDFAABAAAAgxgiWHEhIAUwAAAAMAAA
        AAsAAAAAAAAAAAAAAIABNgAAAHNlY3JldC5kb2NtUEsFBgAAAAACAAIAcAAAAI8AAAAAAA==
        """)

    /// `vault.xlsm` carries a WinZip AES extra field (0x9901) but no flag bit 0.
    static let aes = decode("""
        UEsDBBQAAAAAAIMYIlhiXsEkHgAAAB4AAAAKAAsAdmF1bHQueGxzbQGZBwACAEFFAwgAY2lwaGVydGV4dGNpcGhlcnRleHRjaXBo
        ZXJ0ZXh0UEsDBBQAAAAAAIMYIljQ+RU5BgAAAAYAAAAJAAAAcGxhaW4udHh0cGxhaW4KUEsBAhQDFAAAAAAAgxgiWGJewSQeAAAA
        HgAAAAoACwAAAAAAAAAAAIABAAAAAHZhdWx0Lnhsc20BmQcAAgBBRQMIAFBLAQIUAxQAAAAAAIMYIljQ+RU5BgAAAAYAAAAJAAAA
        AAAAAAAAAACAAVEAAABwbGFpbi50eHRQSwUGAAAAAAIAAgB6AAAAfgAAAAAA
        """)

    /// `force_zip64=True` on a seekable file: the local header sizes are 0xFFFFFFFF, the real ones in the ZIP64 extra.
    static let zip64 = decode("""
        UEsDBC0AAAAIAIMYIliwt4pY//////////8HABQAYmlnLmJpbgEAEAD0AQAAAAAAABEAAAAAAAAAMzA0MjYxNTO3sDQYZY0QFgBQ
        SwMEFAAAAAAAgxgiWNszhTMGAAAABgAAAAkAAABhZnRlci50eHRhZnRlcgpQSwECLQMtAAAACACDGCJYsLeKWBEAAAD0AQAABwAA
        AAAAAAAAAAAAgAEAAAAAYmlnLmJpblBLAQIUAxQAAAAAAIMYIljbM4UzBgAAAAYAAAAJAAAAAAAAAAAAAACAAUoAAABhZnRlci50
        eHRQSwUGAAAAAAIAAgBsAAAAdwAAAAAA
        """)

    /// Written with `zipfile.ZIP64_LIMIT` lowered to 64: ZIP64 central extras, ZIP64 end record and locator.
    static let zip64Records = decode("""
        UEsDBC0AAAAAAIMYIliPXQ5e//////////8HABQAb25lLnR4dAEAEABkAAAAAAAAAGQAAAAAAAAAeHh4eHh4eHh4eHh4eHh4eHh4
        eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4
        eHh4eHh4eFBLAwQtAAAAAACDGCJYGqreJ///////////BwAUAHR3by50eHQBABAAZAAAAAAAAABkAAAAAAAAAHl5eXl5eXl5eXl5
        eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5
        eXl5eXl5eXl5eXl5eXlQSwECLQMtAAAAAACDGCJYj10OXv//////////BwAUAAAAAAAAAAAAgAEAAAAAb25lLnR4dAEAEABkAAAA
        AAAAAGQAAAAAAAAAUEsBAi0DLQAAAAAAgxgiWBqq3if//////////wcAHAAAAAAAAAAAAIAB/////3R3by50eHQBABgAZAAAAAAA
        AABkAAAAAAAAAJ0AAAAAAAAAUEsGBiwAAAAAAAAALQAtAAAAAAAAAAAAAgAAAAAAAAACAAAAAAAAAJoAAAAAAAAAOgEAAAAAAABQ
        SwYHAAAAANQBAAAAAAAAAQAAAFBLBQYAAAAAAgACAJoAAAA6AQAAAAA=
        """)

    /// Decodes the fixtures' base64 with the parser's own decoder (line breaks are skipped).
    static func decode(_ text: String) -> [UInt8] {
        var decoder = Base64Decoder()
        var bytes: [UInt8] = []
        decoder.decode(Array(text.utf8), into: &bytes)
        decoder.finish(into: &bytes)
        return bytes
    }
}
