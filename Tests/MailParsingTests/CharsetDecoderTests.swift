import MailParsing
import Testing

/// Decodes `bytes` in chunks of `chunkSize` bytes (nil: in one call) and finishes.
private func decode(_ bytes: [UInt8], as charset: String, chunkSize: Int? = nil) -> (bytes: [UInt8], replacements: Int) {
    guard var decoder = CharsetDecoder(charset: charset) else {
        Issue.record("unknown charset \(charset)")
        return ([], 0)
    }
    var output: [UInt8] = []
    if let chunkSize {
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            bytes[start..<end].withUnsafeBytes { decoder.decode($0, into: &output) }
            start = end
        }
    } else {
        decoder.decode(bytes, into: &output)
    }
    decoder.finish(into: &output)
    return (output, decoder.replacementCount)
}

private let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

/// Sample text per charset, encoded with Python's codecs (`text.encode(codec)`).
private let charsetSamples: [(String, [UInt8], String)] = [
    ("windows-1252", [0x80, 0x93, 0x71, 0x75, 0x6F, 0x74, 0x65, 0x64, 0x94, 0x20, 0x9F, 0x85], "€“quoted” Ÿ…"),
    ("iso-8859-1", [0x63, 0x61, 0x66, 0xE9, 0x20, 0xFF, 0xBF], "café ÿ¿"),
    ("iso-8859-2", [0x5A, 0x61, 0xBF, 0xF3, 0xB3, 0xE6, 0x20, 0x67, 0xEA, 0xB6, 0x6C, 0xB1, 0x20, 0x6A, 0x61, 0xBC, 0xF1], "Zażółć gęślą jaźń"),
    ("iso-8859-3", [0xB1, 0xF5, 0xBF, 0x20, 0xA1], "ħġż Ħ"),
    ("iso-8859-4", [0xC0, 0xE0, 0xAA, 0xBA, 0x20, 0xB3], "ĀāĒē ŗ"),
    ("iso-8859-5", [0xBC, 0xDE, 0xE1, 0xDA, 0xD2, 0xD0, 0x20, 0xF0], "Москва №"),
    ("iso-8859-6", [0xE5, 0xD1, 0xCD, 0xC8, 0xC7, 0xBF], "مرحبا؟"),
    ("iso-8859-7", [0xCA, 0xE1, 0xEB, 0xE7, 0xEC, 0xDD, 0xF1, 0xE1, 0x20, 0xA4], "Καλημέρα €"),
    ("iso-8859-8", [0xF9, 0xEC, 0xE5, 0xED, 0x20, 0xFD], "\u{5E9}\u{5DC}\u{5D5}\u{5DD} \u{200E}"),
    ("iso-8859-9", [0xDD, 0x73, 0x74, 0x61, 0x6E, 0x62, 0x75, 0x6C, 0x20, 0xF0, 0xFE], "İstanbul ğş"),
    ("iso-8859-10", [0xAF, 0xBB, 0x20, 0xF0], "Ŋŧ ð"),
    ("iso-8859-11", [0xCA, 0xC7, 0xD1, 0xCA, 0xB4, 0xD5], "สวัสดี"),
    ("iso-8859-13", [0xC0, 0xE8, 0xE6, 0xEB, 0xE1, 0xF0, 0xF8, 0xFB, 0xFE, 0x20, 0xFF], "Ąčęėįšųūž ’"),
    ("iso-8859-14", [0xD0, 0xFE, 0x20, 0xA1], "Ŵŷ Ḃ"),
    ("iso-8859-15", [0xA4, 0x20, 0xA6, 0xBD, 0x20, 0xBE], "€ Šœ Ÿ"),
    ("iso-8859-16", [0xAA, 0xBA, 0x20, 0xDE, 0xFE, 0x20, 0xA4], "Șș Țț €"),
    ("windows-1250", [0x50, 0xF8, 0xED, 0x6C, 0x69, 0x9A, 0x20, 0x9E, 0x6C, 0x75, 0x9D, 0x6F, 0x75, 0xE8, 0x6B, 0xFD, 0x20, 0x6B, 0xF9, 0xF2], "Příliš žluťoučký kůň"),
    ("windows-1251", [0xCF, 0xE0, 0xF0, 0xEE, 0xEB, 0xFC, 0x20, 0x89], "Пароль ‰"),
    ("windows-1253", [0xC5, 0xEB, 0xEB, 0xDC, 0xE4, 0xE1], "Ελλάδα"),
    ("windows-1254", [0xDE, 0x69, 0x66, 0x72, 0x65, 0x20, 0xF0], "Şifre ğ"),
    ("windows-1255", [0xF9, 0xC8, 0xD1, 0xEC, 0xE5, 0xC9, 0xED, 0x20, 0xA4], "שָׁלוֹם ₪"),
    ("windows-1256", [0xE3, 0xD1, 0xCD, 0xC8, 0xC7, 0x20, 0x81], "مرحبا پ"),
    ("windows-1257", [0xC0, 0xFE, 0x75, 0x6F, 0x6C, 0x61, 0x73, 0x20, 0xEB], "Ąžuolas ė"),
    ("windows-1258", [0xD0, 0xF5, 0x6E, 0x20, 0xFD, 0x20, 0xFE], "Đơn ư ₫"),
    ("koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4, 0x2C, 0x20, 0xCD, 0xC9, 0xD2, 0x20, 0xA3], "Привет, мир ё"),
    ("koi8-u", [0xF5, 0xCB, 0xD2, 0xC1, 0xA7, 0xCE, 0xC1, 0x20, 0xA7, 0xA4, 0x20, 0xAD], "Україна їє ґ"),
    ("utf-8", Array("Grüße, Καλημέρα, 日本語, 🦅!".utf8), "Grüße, Καλημέρα, 日本語, 🦅!"),
]

/// UTF-8 input that must be repaired: overlongs, surrogates, out-of-range scalars, stray and
/// missing continuation bytes, truncation at the end.
private let nastyUTF8: [[UInt8]] = [
    [0x80], [0xBF], [0x80, 0x80, 0x41], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x41], [0xDF, 0xBF],
    [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xE0, 0xA0], [0xE2, 0x82], [0xE2, 0x82, 0x41],
    [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBD], [0xEF, 0xBF, 0xBF],
    [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xF0, 0x9F, 0x98, 0x41],
    [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80], [0xFE], [0xFF, 0xFE, 0x41], [0xC2, 0xC2, 0xA9], [0xE1, 0xE1, 0x80, 0x80],
    [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64],
    [0xE1, 0x80, 0xE2, 0xF0, 0x91, 0x92, 0xF1, 0xBF, 0x41], [0x00, 0x01, 0x1F, 0x7F, 0x00],
    Array("plain ASCII long enough for the word-at-a-time scan".utf8) + [0xE9] + Array(" and more text.".utf8),
]

@Suite struct CharsetDecoderTests {
    @Test(arguments: [
        ("UTF-8", "utf-8"), ("utf8", "utf-8"), (" \"utf-8\" ", "utf-8"), ("'UTF8'", "utf-8"),
        ("us-ascii", "us-ascii"), ("ASCII", "us-ascii"), ("ANSI_X3.4-1968", "us-ascii"),
        ("iso-8859-1", "iso-8859-1"), ("ISO8859-1", "iso-8859-1"), ("iso_8859-1", "iso-8859-1"), ("iso_8859-1:1987", "iso-8859-1"),
        ("latin1", "iso-8859-1"), ("Latin2", "iso-8859-2"), ("latin5", "iso-8859-9"), ("latin9", "iso-8859-15"),
        ("iso-8859-7", "iso-8859-7"), ("iso-8859-8-i", "iso-8859-8"), ("ISO-8859-16", "iso-8859-16"), ("iso8859_13", "iso-8859-13"),
        ("windows-1250", "windows-1250"), ("cp1252", "windows-1252"), ("Windows-1258", "windows-1258"), ("x-cp1251", "windows-1251"),
        ("koi8-r", "koi8-r"), ("KOI8-U", "koi8-u"), ("\tkoi8-r\r\n", "koi8-r"),
    ])
    func namesResolveToCanonicalNames(label: String, name: String) {
        #expect(CharsetDecoder(charset: label)?.name == name)
    }

    @Test(arguments: [
        "", "\"\"", "utf-16", "utf-7", "iso-8859-12", "iso-8859-0", "iso-8859-17", "iso-8859-+1", "iso-8859- 1",
        "iso-8859-1-i", "windows-1249", "windows-1259", "cp437", "koi8", "latin11", "big5", "gb2312", "x-unknown", "ut f-8",
    ])
    func unknownNamesAreRejected(label: String) {
        #expect(CharsetDecoder(charset: label) == nil)
    }

    @Test(arguments: charsetSamples)
    func decodesKnownAnswers(charset: String, bytes: [UInt8], text: String) {
        let result = decode(bytes, as: charset)
        #expect(result.bytes == Array(text.utf8))
        #expect(result.replacements == 0)
    }

    @Test func everyHighByteOfEveryTableIsOneValidScalar() {
        let charsets = (1...16).filter { $0 != 12 }.map { "iso-8859-\($0)" }
            + (1250...1258).map { "windows-\($0)" } + ["koi8-r", "koi8-u", "us-ascii"]
        for charset in charsets {
            for byte in UInt8(0x80)...0xFF {
                let result = decode([byte], as: charset)
                let scalars = String(decoding: result.bytes, as: UTF8.self).unicodeScalars
                #expect(Array(String(decoding: result.bytes, as: UTF8.self).utf8) == result.bytes)
                #expect(scalars.count == 1, "\(charset) 0x\(String(byte, radix: 16))")
                #expect(result.replacements == (scalars.first == "\u{FFFD}" ? 1 : 0))
            }
        }
    }

    @Test(arguments: [("iso-8859-3", UInt8(0xA5)), ("iso-8859-6", 0xA1), ("iso-8859-8", 0xBF), ("iso-8859-11", 0xDB), ("windows-1250", 0x81), ("windows-1253", 0xAA)])
    func undefinedBytesBecomeCountedReplacements(charset: String, byte: UInt8) {
        let result = decode([0x41, byte, 0x42, byte], as: charset)
        #expect(result.bytes == [0x41] + replacement + [0x42] + replacement)
        #expect(result.replacements == 2)
    }

    @Test(arguments: [UInt8(0x81), 0x8D, 0x8F, 0x90, 0x9D])
    func windows1252UndefinedBytesAreC1ControlsAsInWHATWG(byte: UInt8) {
        let result = decode([byte], as: "windows-1252")
        #expect(String(decoding: result.bytes, as: UTF8.self).unicodeScalars.map(\.value) == [UInt32(byte)])
        #expect(result.replacements == 0)
    }

    @Test func usASCIIHighBytesDecodeAsWindows1252() {
        let result = decode([0x63, 0x61, 0x66, 0xE9, 0x20, 0x80, 0x20, 0x93, 0x78, 0x94], as: "us-ascii")
        #expect(String(decoding: result.bytes, as: UTF8.self) == "café € “x”")
        #expect(result.replacements == 0)
    }

    @Test(arguments: ["utf-8", "us-ascii", "iso-8859-1", "windows-1252", "koi8-r", "iso-8859-11"])
    func asciiIncludingNULAndControlsPassesThrough(charset: String) {
        let ascii = (0...0x7F).map { UInt8($0) } + [0x00, 0x00, 0x0D, 0x0A]
        #expect(decode(ascii, as: charset) == (ascii, 0))
    }

    @Test(arguments: nastyUTF8)
    func utf8RepairMatchesTheStandardLibrary(bytes: [UInt8]) {
        #expect(decode(bytes, as: "utf-8").bytes == Array(String(decoding: bytes, as: UTF8.self).utf8))
    }

    @Test(arguments: [
        // Unicode §3.9, table 3-8 example: a, F1 80 80 (cut), E1 80 (cut), C2 (cut), b, 80, c, 80, BF, d.
        ([0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64], "a\u{FFFD}\u{FFFD}\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}d", 6),
        ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}", 2),
        ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}", 3),
        ([0xF4, 0x90, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}", 4),
        ([0xF0, 0x9F, 0xA6], "\u{FFFD}", 1),
        ([0xE2, 0x82, 0xAC, 0xEF, 0xBF, 0xBD], "€\u{FFFD}", 0),  // a real U+FFFD in the input is not a replacement
    ] as [([UInt8], String, Int)])
    func utf8ReplacementsAreExact(bytes: [UInt8], text: String, replacements: Int) {
        #expect(decode(bytes, as: "utf-8") == (Array(text.utf8), replacements))
    }

    @Test func randomUTF8MatchesTheStandardLibraryInAnyChunking() {
        // Bytes near the UTF-8 range boundaries make invalid and cut sequences likely.
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                    0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var generator = SeededGenerator(seed: 0x6A6E_6E65_7421)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            let expected = Array(String(decoding: bytes, as: UTF8.self).utf8)
            let whole = decode(bytes, as: "utf-8")
            #expect(whole.bytes == expected, "\(bytes)")
            #expect(whole.replacements == occurrences(of: replacement, in: expected) - occurrences(of: replacement, in: bytes))
            for chunkSize in [1, 2, 3, 7] {
                #expect(decode(bytes, as: "utf-8", chunkSize: chunkSize) == whole, "\(bytes) in chunks of \(chunkSize)")
            }
        }
    }

    @Test(arguments: charsetSamples.map { ($0.0, $0.1) } + nastyUTF8.map { ("utf-8", $0) } + [("us-ascii", [0x41, 0x80, 0x00, 0xFF])])
    func chunkingDoesNotChangeTheResult(charset: String, bytes: [UInt8]) {
        let whole = decode(bytes, as: charset)
        for chunkSize in [1, 2, 3, 7] {
            #expect(decode(bytes, as: charset, chunkSize: chunkSize) == whole, "chunks of \(chunkSize)")
        }
    }

    @Test func sequenceCutAcrossCallsIsCompletedAndCountsAccumulate() throws {
        var decoder = try #require(CharsetDecoder(charset: "utf-8"))
        var output: [UInt8] = Array("kept:".utf8)
        decoder.decode([0x41, 0xF0, 0x9F], into: &output)
        #expect(output == Array("kept:A".utf8))  // the cut emoji is held back
        decoder.decode([], into: &output)
        decoder.decode([0xA6], into: &output)
        decoder.decode([0x85, 0xFF], into: &output)
        #expect(decoder.replacementCount == 1)
        decoder.decode([0xE2, 0x82], into: &output)
        decoder.finish(into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "kept:A🦅\u{FFFD}\u{FFFD}")
        #expect(decoder.replacementCount == 2)

        // finish() leaves the decoder clean: nothing more to flush, and it can be used again.
        decoder.finish(into: &output)
        decoder.decode([0x42], into: &output)
        decoder.finish(into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "kept:A🦅\u{FFFD}\u{FFFD}B")
        #expect(decoder.replacementCount == 2)
    }

    @Test func largeMixedInputSurvivesChunkingAtEveryOffset() {
        let text = String(repeating: "Subject: Rechnung fällig – bitte zahlen 💶 ", count: 40)
        let bytes = Array(text.utf8) + [0xE2, 0x28, 0xA1] + Array(text.utf8)
        let whole = decode(bytes, as: "utf-8")
        #expect(whole.bytes == Array(String(decoding: bytes, as: UTF8.self).utf8))
        #expect(whole.replacements == 2)
        for chunkSize in [5, 64, 1000] {
            #expect(decode(bytes, as: "utf-8", chunkSize: chunkSize) == whole)
        }
    }
}

private func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
    guard haystack.count >= needle.count else { return 0 }
    return (0...(haystack.count - needle.count)).count { Array(haystack[$0..<($0 + needle.count)]) == needle }
}
