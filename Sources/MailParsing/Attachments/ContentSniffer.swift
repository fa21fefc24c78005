/// What a file really is, judged from its first bytes (declared names and types lie).
public enum SniffedType: String, Sendable, CaseIterable {
    case empty, pdf, zip, rar, sevenZip, gzip, bzip2, xz, cab
    /// Compound File Binary: legacy Office documents, MSI packages.
    case ole2
    /// Windows EXE/DLL ("MZ").
    case pe
    case elf, machO, iso9660
    /// Windows shortcut.
    case lnk
    case oneNote, rtf, html, svg, xml
    /// "#!" interpreter script.
    case script
    case png, jpeg, gif, bmp, tiff, webp, ico, text, unknown
}

/// Identifies file types by magic numbers and, for markup and text, by a look at the first kilobyte.
public enum ContentSniffer {
    /// How many leading bytes `sniff` wants (ISO 9660 needs the volume descriptor at 0x8001).
    public static let prefixLength: Int = isoMagicOffset + 5

    /// Sniffs from the first bytes of a file (pass up to `prefixLength` bytes; fewer if the file is shorter).
    public static func sniff(_ prefix: [UInt8]) -> SniffedType {
        if prefix.isEmpty { return .empty }
        // The first 32 KiB of an ISO are a free "system area" (hybrid images put an MBR there),
        // so the volume descriptor outranks whatever magic sits at offset 0.
        if matches(prefix, at: isoMagicOffset, Array("CD001".utf8)) { return .iso9660 }
        if let type = magicAtStart(prefix) { return type }
        // Acrobat accepts the header anywhere in the first 1024 bytes; droppers use that to hide it.
        let pdfMagic = Array("%PDF-".utf8)
        if find(pdfMagic, in: prefix.prefix(textWindow + pdfMagic.count - 1)) != nil { return .pdf }
        return sniffText(Array(prefix.prefix(textWindow)))
    }

    /// True for types that run code on a double-click or carry macros: pe, elf, machO, lnk, ole2 (macro capable),
    /// script, oneNote, iso9660 (disk image), cab.
    public static func isDangerous(_ type: SniffedType) -> Bool {
        switch type {
        case .pe, .elf, .machO, .lnk, .ole2, .script, .oneNote, .iso9660, .cab: true
        default: false
        }
    }

    // MARK: - Binary magic

    private static let isoMagicOffset = 0x8001
    /// How much of the start is examined for PDF headers, markup and text.
    private static let textWindow = 1_024

    private static let signatures: [(magic: [UInt8], type: SniffedType)] = [
        (Array("%PDF-".utf8), .pdf),
        ([0x50, 0x4B, 0x03, 0x04], .zip),
        ([0x50, 0x4B, 0x05, 0x06], .zip),  // empty archive
        ([0x50, 0x4B, 0x07, 0x08], .zip),  // spanned archive marker
        ([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00], .rar),  // RAR 4
        ([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00], .rar),  // RAR 5
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], .sevenZip),
        ([0x1F, 0x8B], .gzip),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], .xz),
        (Array("MSCF".utf8), .cab),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], .ole2),
        ([0x7F, 0x45, 0x4C, 0x46], .elf),
        // Mach-O 32/64-bit in both byte orders; CAFEBABE is left out because Java classes share it.
        ([0xFE, 0xED, 0xFA, 0xCE], .machO),
        ([0xFE, 0xED, 0xFA, 0xCF], .machO),
        ([0xCE, 0xFA, 0xED, 0xFE], .machO),
        ([0xCF, 0xFA, 0xED, 0xFE], .machO),
        ([0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00], .lnk),
        ([0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D], .oneNote),
        // Word only checks "{\rt", and exploit documents rely on that ("{\rtx…").
        (Array("{\\rt".utf8), .rtf),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], .png),
        ([0xFF, 0xD8, 0xFF], .jpeg),
        (Array("GIF87a".utf8), .gif),
        (Array("GIF89a".utf8), .gif),
        ([0x49, 0x49, 0x2A, 0x00], .tiff),
        ([0x4D, 0x4D, 0x00, 0x2A], .tiff),
        // Windows runs anything starting "MZ" as a program; a text file starting so is rare.
        (Array("MZ".utf8), .pe),
        (Array("#!".utf8), .script),
    ]

    private static func magicAtStart(_ bytes: [UInt8]) -> SniffedType? {
        for (magic, type) in signatures where matches(bytes, at: 0, magic) { return type }
        // Two- to four-byte magics that plain text could start with get a second check.
        if matches(bytes, at: 0, Array("BZh".utf8)), bytes.count > 3, (0x31...0x39).contains(bytes[3]) { return .bzip2 }
        if matches(bytes, at: 0, Array("RIFF".utf8)), matches(bytes, at: 8, Array("WEBP".utf8)) { return .webp }
        // BMP: "BM", then the DIB header size of one of the known header versions.
        if matches(bytes, at: 0, Array("BM".utf8)), bytes.count >= 18,
            [12, 16, 40, 52, 56, 64, 108, 124].contains(littleEndian32(bytes, at: 14))
        {
            return .bmp
        }
        // ICO: reserved 0, type 1, then a non-zero image count.
        if matches(bytes, at: 0, [0x00, 0x00, 0x01, 0x00]), bytes.count >= 6, bytes[4] != 0 || bytes[5] != 0 { return .ico }
        return nil
    }

    // MARK: - Markup and text

    private static let htmlTags = [
        "<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<meta", "<a", "<div", "<table", "<form",
    ].map { Array($0.utf8) }
    private static let svgTag = Array("<svg".utf8)

    /// Markup, XML and text detection over the first kilobyte (no binary magic matched).
    private static func sniffText(_ head: [UInt8]) -> SniffedType {
        let (units, isUTF16) = decodeUnits(head)
        var start = 0
        while start < units.count, isWhitespace(units[start]) { start += 1 }
        let body = units[start...]

        // Whichever of SVG and HTML opens first wins: SVG may carry <script>, HTML may inline <svg>.
        let svgAt = findTag(svgTag, in: body)
        let htmlAt = htmlTags.compactMap { findTag($0, in: body) }.min()
        switch (svgAt, htmlAt) {
        case let (svg?, html?): return svg < html ? .svg : .html
        case (.some, nil): return .svg
        case (nil, .some): return .html
        case (nil, nil): break
        }
        if matchesFolded(body, at: body.startIndex, Array("<?xml".utf8)) { return .xml }
        return looksLikeText(units, validatedUTF8: isUTF16 || isValidUTF8(head)) ? .text : .unknown
    }

    /// The window as 8-bit units: UTF-8 without its BOM, or UTF-16 squeezed to one unit per character
    /// (non-ASCII characters become 0x80) so markup in UTF-16 files is still found.
    private static func decodeUnits(_ head: [UInt8]) -> (units: [UInt8], isUTF16: Bool) {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (Array(head.dropFirst(3)), false) }
        let littleEndian = head.starts(with: [0xFF, 0xFE])
        guard littleEndian || head.starts(with: [0xFE, 0xFF]) else { return (head, false) }
        var units = [UInt8]()
        var index = 2
        while index + 1 < head.count {
            let (low, high) = littleEndian ? (head[index], head[index + 1]) : (head[index + 1], head[index])
            units.append(high == 0 && low < 0x80 ? low : 0x80)
            index += 2
        }
        return (units, true)
    }

    /// Offset of `tag` (ASCII, lower case) in `text`, case-insensitively, followed by a delimiter
    /// so `<a` does not match `<abbr`.
    private static func findTag(_ tag: [UInt8], in text: ArraySlice<UInt8>) -> Int? {
        guard text.count >= tag.count else { return nil }
        var index = text.startIndex
        while index <= text.endIndex - tag.count {
            if matchesFolded(text, at: index, tag) {
                let after = index + tag.count
                if after == text.endIndex || isWhitespace(text[after]) || text[after] == UInt8(ascii: ">")
                    || text[after] == UInt8(ascii: "/")
                {
                    return index
                }
            }
            index += 1
        }
        return nil
    }

    private static func matchesFolded(_ text: ArraySlice<UInt8>, at index: Int, _ lowerASCII: [UInt8]) -> Bool {
        guard index >= text.startIndex, text.endIndex - index >= lowerASCII.count else { return false }
        for (offset, expected) in lowerASCII.enumerated() {
            var byte = text[index + offset]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != expected { return false }
        }
        return true
    }

    /// No NUL and at least 95% printable (tab, line breaks, form feed and escape count as printable).
    private static func looksLikeText(_ units: [UInt8], validatedUTF8: Bool) -> Bool {
        guard validatedUTF8 else { return false }
        var control = 0
        for unit in units {
            if unit == 0 { return false }
            if (unit < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(unit)) || unit == 0x7F { control += 1 }
        }
        return control * 20 <= units.count
    }

    /// Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF); a sequence cut off by the
    /// end of the window is accepted because the window boundary is arbitrary.
    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var lowest: UInt8 = 0x80, highest: UInt8 = 0xBF  // allowed range of the second byte
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F
            default: return false
            }
            for offset in 1..<length {
                guard index + offset < bytes.count else { return true }
                let byte = bytes[index + offset]
                let (low, high) = offset == 1 ? (lowest, highest) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= low && byte <= high else { return false }
            }
            index += length
        }
        return true
    }

    // MARK: - Byte helpers

    private static func matches(_ bytes: [UInt8], at offset: Int, _ magic: [UInt8]) -> Bool {
        guard offset >= 0, bytes.count - offset >= magic.count else { return false }
        for (index, byte) in magic.enumerated() where bytes[offset + index] != byte { return false }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func littleEndian32(_ bytes: [UInt8], at offset: Int) -> Int {
        (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }
}
