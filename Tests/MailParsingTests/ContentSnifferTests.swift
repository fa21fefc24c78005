import MailParsing
import Testing

@Suite struct ContentSnifferTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let expected: SniffedType
        var testDescription: String { "\(name) → \(expected)" }

        init(_ name: String, _ bytes: [UInt8], _ expected: SniffedType) {
            self.name = name
            self.bytes = bytes
            self.expected = expected
        }
    }

    private static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// `bytes` followed by zeros up to `length`, the way real headers continue.
    private static func padded(_ bytes: [UInt8], to length: Int = 64) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: max(0, length - bytes.count))
    }

    private static let peHeader: [UInt8] = {
        var bytes = padded(ascii("MZ") + [0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00], to: 0x100)
        bytes[0x3C] = 0x80  // e_lfanew
        bytes.replaceSubrange(0x80..<0x84, with: ascii("PE") + [0, 0])
        return bytes
    }()

    private static func iso(startingWith start: [UInt8]) -> [UInt8] {
        var bytes = padded(start, to: 0x8000)
        bytes += [0x01] + ascii("CD001") + [0x01, 0x00] + ascii("LINUX")
        return bytes
    }

    static let cases: [Case] = [
        Case("empty", [], .empty),
        Case("pdf", ascii("%PDF-1.7\n%") + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A], .pdf),
        Case("pdf after junk", Array(repeating: ascii("junk\r\n"), count: 150).flatMap { $0 } + ascii("%PDF-1.4\n"), .pdf),
        Case("pdf header ending the first kilobyte", [UInt8](repeating: 0x41, count: 1_019) + ascii("%PDF-1.4"), .pdf),
        Case("pdf header past the first kilobyte", [UInt8](repeating: 0x41, count: 1_030) + ascii("%PDF-1.4"), .text),
        Case("zip", padded([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]), .zip),
        Case("empty zip", padded([0x50, 0x4B, 0x05, 0x06], to: 22), .zip),
        Case("spanned zip", padded([0x50, 0x4B, 0x07, 0x08, 0x50, 0x4B, 0x03, 0x04]), .zip),
        Case("rar 4", padded(ascii("Rar!") + [0x1A, 0x07, 0x00, 0xCF, 0x90, 0x73]), .rar),
        Case("rar 5", padded(ascii("Rar!") + [0x1A, 0x07, 0x01, 0x00, 0x33, 0x92]), .rar),
        Case("7z", padded([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04]), .sevenZip),
        Case("gzip", padded([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]), .gzip),
        Case("bzip2", ascii("BZh91AY&SY") + [0x4E, 0xEC, 0xE8, 0x36], .bzip2),
        Case("BZh without block size is text", ascii("BZh is not bzip2\n"), .text),
        Case("xz", padded([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04]), .xz),
        Case("cab", padded(ascii("MSCF") + [0, 0, 0, 0, 0x2C, 0x01, 0, 0]), .cab),
        Case("ole2", padded([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]), .ole2),
        Case("pe", peHeader, .pe),
        Case("bare MZ", ascii("MZ"), .pe),
        Case("elf", padded([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]), .elf),
        Case("mach-o 32", padded([0xFE, 0xED, 0xFA, 0xCE, 0x00, 0x00, 0x00, 0x07]), .machO),
        Case("mach-o 64", padded([0xFE, 0xED, 0xFA, 0xCF, 0x01, 0x00, 0x00, 0x07]), .machO),
        Case("mach-o 32 swapped", padded([0xCE, 0xFA, 0xED, 0xFE, 0x07, 0x00, 0x00, 0x00]), .machO),
        Case("mach-o 64 swapped", padded([0xCF, 0xFA, 0xED, 0xFE, 0x07, 0x00, 0x00, 0x01]), .machO),
        Case("java class is not mach-o", padded([0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x34]), .unknown),
        Case("iso 9660", iso(startingWith: []), .iso9660),
        Case("hybrid iso with boot code", iso(startingWith: [0x33, 0xED, 0x90, 0x90] + ascii("MZ")), .iso9660),
        Case("iso cut before the descriptor", Array(iso(startingWith: []).prefix(0x8003)), .unknown),
        Case("lnk", padded([0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]), .lnk),
        Case("onenote", padded([0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78]), .oneNote),
        Case("rtf", ascii("{\\rtf1\\ansi\\deff0 {\\fonttbl}}"), .rtf),
        Case("rtf with the header Word tolerates", ascii("{\\rtx1\\ansi}"), .rtf),
        Case("html doctype", ascii("<!DOCTYPE html>\n<html lang=\"en\">"), .html),
        Case("html after BOM and whitespace", [0xEF, 0xBB, 0xBF] + ascii("\r\n  \t<HTML>\n<HEAD><TITLE>x</TITLE>"), .html),
        Case("html upper-case body", ascii("<BODY onload=\"go()\">"), .html),
        Case("html after a comment", ascii("<!-- saved from url=(0014)about:internet -->\n<div class=\"x\">"), .html),
        Case("html link", ascii("Click <a href=\"https://example.com\">here</a>"), .html),
        Case("html link with tab", ascii("<a\thref=x>"), .html),
        Case("html form", ascii("<form action=\"https://evil.example/\" method=\"post\">"), .html),
        Case("html script", ascii("<script>location='https://evil.example'</script>"), .html),
        Case("html iframe", ascii("<iframe src=x>"), .html),
        Case("html meta", ascii("<meta http-equiv=\"refresh\" content=\"0;url=x\">"), .html),
        Case("html table", ascii("<table><tr><td>1</td></tr></table>"), .html),
        Case("html in utf-16", [0xFF, 0xFE] + ascii("<html>").flatMap { [$0, 0] }, .html),
        Case("html with inline svg", ascii("<html><body><svg width=\"1\"></svg>"), .html),
        Case("svg", ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), .svg),
        Case(
            "svg after xml prolog",
            ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<SVG><script>alert(1)</script></SVG>"),
            .svg),
        Case("xml", ascii("<?xml version=\"1.0\"?>\n<root><item/></root>"), .xml),
        Case("xml after BOM", [0xEF, 0xBB, 0xBF] + ascii("<?xml version=\"1.0\"?><a:b/>"), .xml),
        Case("tag prefixes are not tags", ascii("<abbr title=\"x\">t</abbr> <headline> <divx>"), .text),
        Case("script", ascii("#!/bin/sh\ncurl x | sh\n"), .script),
        Case("png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D] + ascii("IHDR"), .png),
        Case("jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + ascii("JFIF") + [0], .jpeg),
        Case("gif 87a", ascii("GIF87a") + [0x01, 0x00, 0x01, 0x00, 0x80, 0, 0], .gif),
        Case("gif 89a", ascii("GIF89a") + [0x01, 0x00, 0x01, 0x00, 0x80, 0, 0], .gif),
        Case("bmp", padded(ascii("BM") + [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0, 0x01, 0, 0, 0]), .bmp),
        Case("BM text is not bmp", ascii("BMW parts invoice attached, please review"), .text),
        Case("tiff little-endian", padded([0x49, 0x49, 0x2A, 0x00, 0x08, 0, 0, 0]), .tiff),
        Case("tiff big-endian", padded([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 0x08]), .tiff),
        Case("webp", ascii("RIFF") + [0x24, 0x08, 0, 0] + ascii("WEBPVP8 ") + [0x18, 0x08, 0, 0], .webp),
        Case("wav is not webp", ascii("RIFF") + [0x24, 0x08, 0, 0] + ascii("WAVEfmt ") + [0x10, 0, 0, 0], .unknown),
        Case("ico", padded([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10, 0x00, 0x00]), .ico),
        Case("text", ascii("Hello,\r\nplease find the invoice attached.\r\n"), .text),
        Case("utf-8 text", ascii("Grüße aus Köln – 日本語のテキスト\n"), .text),
        Case("text cut inside a character", [UInt8](repeating: 0x41, count: 1_023) + ascii("日本"), .text),
        Case("latin-1 is not utf-8", ascii("Gr") + [0xFC, 0xDF] + ascii("e\n"), .unknown),
        Case("overlong utf-8", ascii("a") + [0xC0, 0xAF], .unknown),
        Case("NUL is not text", ascii("abc\0def"), .unknown),
        Case("control characters are not text", [UInt8](repeating: 0x01, count: 10) + ascii("abc"), .unknown),
        Case("one byte M", ascii("M"), .text),
        Case("PK alone", ascii("PK"), .text),
        Case("one control byte", [0x1F], .unknown),
        Case("two jpeg bytes", [0xFF, 0xD8], .unknown),
        Case("three zero bytes", [0, 0, 0], .unknown),
    ]

    @Test(arguments: cases)
    func sniffsRealHeaders(_ sample: Case) {
        #expect(ContentSniffer.sniff(sample.bytes) == sample.expected)
    }

    @Test func everyTypeIsCovered() {
        let covered = Set(Self.cases.map(\.expected))
        #expect(covered == Set(SniffedType.allCases))
    }

    @Test func shortInputsNeverTrap() {
        for sample in Self.cases {
            for length in 0...min(sample.bytes.count, 64) {
                _ = ContentSniffer.sniff(Array(sample.bytes.prefix(length)))
            }
        }
        for first in 0...255 {
            _ = ContentSniffer.sniff([UInt8(first)])
            for second in 0...255 {
                _ = ContentSniffer.sniff([UInt8(first), UInt8(second)])
            }
        }
        var state: UInt64 = 7
        for _ in 0..<20_000 {
            state &+= 0x9E37_79B9_7F4A_7C15
            _ = ContentSniffer.sniff([UInt8(truncatingIfNeeded: state >> 8), UInt8(truncatingIfNeeded: state >> 24), UInt8(truncatingIfNeeded: state >> 40)])
        }
        #expect(ContentSniffer.sniff([]) == .empty)
    }

    @Test func prefixLengthCoversTheIsoDescriptor() {
        #expect(ContentSniffer.prefixLength == 0x8006)
        // Bytes beyond what sniff wants do not change the answer.
        #expect(ContentSniffer.sniff(Self.iso(startingWith: []) + [UInt8](repeating: 0xAA, count: 4_096)) == .iso9660)
    }

    @Test func dangerousTypes() {
        let dangerous = Set(SniffedType.allCases.filter(ContentSniffer.isDangerous))
        #expect(dangerous == [.pe, .elf, .machO, .lnk, .ole2, .script, .oneNote, .iso9660, .cab])
    }
}
