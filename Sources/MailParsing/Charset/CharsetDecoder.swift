/// Decodes a message part's bytes from its declared charset into UTF-8, chunk by chunk.
///
/// UTF-8 input is validated and repaired with one U+FFFD per maximal subpart (the WHATWG and
/// Unicode practice, also used by `String(decoding:as:)`), so the output never depends on how the
/// input was split into chunks. Single-byte charsets go through a 128-entry table for 0x80...0xFF.
public struct CharsetDecoder: Sendable {
    /// The canonical lower-case name ("utf-8", "iso-8859-2", "windows-1252", ...).
    public let name: String

    /// How many U+FFFD replacement characters this decoder emitted (undecodable input), a feature for detection.
    public private(set) var replacementCount: Int = 0

    /// Scalars for bytes 0x80...0xFF of a single-byte charset; nil for UTF-8.
    private let table: [UInt16]?

    // A UTF-8 sequence cut by a chunk boundary: its bytes so far (first byte lowest), how many
    // there are, and how long the whole sequence is.
    private var pendingBytes: UInt32 = 0
    private var pendingCount = 0
    private var pendingLength = 0

    /// nil for a charset Gannet does not know. Names are matched case-insensitively with the usual
    /// aliases: "utf-8"/"utf8", "us-ascii"/"ascii"/"ansi_x3.4-1968", "iso-8859-N"/"iso8859-N"/"iso_8859-N"/"latin1"(=8859-1)/"latin2"... for N in 1...16 except 12,
    /// "windows-125N"/"cp125N" for N in 0...8, "koi8-r", "koi8-u". Surrounding whitespace and quotes are ignored.
    public init?(charset name: String) {
        guard let known = Self.lookUp(Self.normalizedLabel(name)) else { return nil }
        self.name = known.name
        self.table = known.table
    }

    /// Decodes `bytes`, appending valid UTF-8 to `output`. A multi-byte sequence cut by the chunk
    /// boundary is kept and completed by the next call.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withMemoryRebound(to: UInt8.self) { input in
            if let table {
                decodeSingleByte(input, table: table, into: &output)
            } else {
                decodeUTF8(input, into: &output)
            }
        }
    }

    /// Convenience for tests and small inputs.
    public mutating func decode(_ bytes: [UInt8], into output: inout [UInt8]) {
        bytes.withUnsafeBytes { decode($0, into: &output) }
    }

    /// End of input: an incomplete trailing sequence becomes U+FFFD.
    public mutating func finish(into output: inout [UInt8]) {
        if pendingCount > 0 {
            appendReplacement(to: &output)
            clearPending()
        }
    }

    // MARK: - UTF-8

    private mutating func decodeUTF8(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let count = input.count
        var index = 0
        if pendingCount > 0 {
            let lead = UInt8(truncatingIfNeeded: pendingBytes)
            while pendingCount < pendingLength, index < count,
                  Self.isContinuation(input[index], at: pendingCount, after: lead) {
                pendingBytes |= UInt32(input[index]) << (8 * pendingCount)
                pendingCount += 1
                index += 1
            }
            if pendingCount == pendingLength {
                for position in 0..<pendingCount {
                    output.append(UInt8(truncatingIfNeeded: pendingBytes >> (8 * position)))
                }
                clearPending()
            } else if index < count {
                // The byte at `index` broke the sequence: what we hold is a maximal subpart. That
                // byte is read again below as the start of something new.
                appendReplacement(to: &output)
                clearPending()
            } else {
                return  // Still incomplete; wait for more input.
            }
        }

        // Valid bytes are not copied one by one: `runStart` marks the first byte not yet copied,
        // and each valid run goes out in one bulk append.
        var runStart = index
        while index < count {
            let lead = input[index]
            if lead < 0x80 {
                index = input.endOfASCII(from: index + 1)
                continue
            }
            let length = Self.sequenceLength(lead)
            guard length > 0 else {
                Self.appendRun(input, runStart..<index, to: &output)
                appendReplacement(to: &output)
                index += 1
                runStart = index
                continue
            }
            var valid = 1
            while valid < length, index + valid < count,
                  Self.isContinuation(input[index + valid], at: valid, after: lead) {
                valid += 1
            }
            if valid == length {
                index += length
            } else if index + valid == count {
                // Cut by the end of this chunk: keep it for the next call.
                Self.appendRun(input, runStart..<index, to: &output)
                for position in 0..<valid {
                    pendingBytes |= UInt32(input[index + position]) << (8 * position)
                }
                pendingCount = valid
                pendingLength = length
                return
            } else {
                // One U+FFFD for the lead byte and the continuation bytes that fit it.
                Self.appendRun(input, runStart..<index, to: &output)
                appendReplacement(to: &output)
                index += valid
                runStart = index
            }
        }
        Self.appendRun(input, runStart..<count, to: &output)
    }

    /// Total length of the sequence a lead byte starts, or 0 if it cannot start one
    /// (continuation bytes, C0/C1 overlong leads, and F5...FF).
    @inline(__always)
    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    /// Whether `byte` may stand at `position` (1...3) of a sequence starting with `lead`. The
    /// second byte's narrower ranges exclude overlongs, surrogates and scalars above U+10FFFF.
    @inline(__always)
    private static func isContinuation(_ byte: UInt8, at position: Int, after lead: UInt8) -> Bool {
        if position == 1 {
            switch lead {
            case 0xE0: return (0xA0...0xBF).contains(byte)
            case 0xED: return (0x80...0x9F).contains(byte)
            case 0xF0: return (0x90...0xBF).contains(byte)
            case 0xF4: return (0x80...0x8F).contains(byte)
            default: break
            }
        }
        return byte & 0xC0 == 0x80
    }

    private mutating func clearPending() {
        pendingBytes = 0
        pendingCount = 0
        pendingLength = 0
    }

    // MARK: - Single-byte charsets

    private mutating func decodeSingleByte(
        _ input: UnsafeBufferPointer<UInt8>, table: [UInt16], into output: inout [UInt8]
    ) {
        var index = 0
        var runStart = 0
        while index < input.count {
            let byte = input[index]
            if byte < 0x80 {
                index = input.endOfASCII(from: index + 1)
                continue
            }
            Self.appendRun(input, runStart..<index, to: &output)
            let scalar = table[Int(byte &- 0x80)]
            if scalar == 0xFFFD { replacementCount += 1 }
            Self.appendUTF8(scalar, to: &output)
            index += 1
            runStart = index
        }
        Self.appendRun(input, runStart..<input.count, to: &output)
    }

    @inline(__always)
    private static func appendUTF8(_ scalar: UInt16, to output: inout [UInt8]) {
        // Tables hold BMP scalars only and no surrogates, so at most three bytes.
        if scalar < 0x80 {
            output.append(UInt8(scalar))
        } else if scalar < 0x800 {
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        } else {
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: - Shared

    @inline(__always)
    private static func appendRun(_ input: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to output: inout [UInt8]) {
        if !range.isEmpty {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: input[range]))
        }
    }

    private mutating func appendReplacement(to output: inout [UInt8]) {
        output.append(0xEF)
        output.append(0xBF)
        output.append(0xBD)
        replacementCount += 1
    }

    // MARK: - Charset names

    /// Trims surrounding whitespace and quotes and lower-cases the rest.
    private static func normalizedLabel(_ label: String) -> String {
        let bytes = Array(label.utf8)
        let trimmed: (UInt8) -> Bool = { [0x20, 0x09, 0x0A, 0x0D, 0x22, 0x27].contains($0) }
        guard let first = bytes.firstIndex(where: { !trimmed($0) }),
              let last = bytes.lastIndex(where: { !trimmed($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self).lowercased()
    }

    private static func lookUp(_ label: String) -> (name: String, table: [UInt16]?)? {
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8":
            return ("utf-8", nil)
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "csascii":
            // Mail labelled us-ascii often carries 8-bit Latin text, so high bytes decode as windows-1252.
            return ("us-ascii", SingleByteCharsetTables.windows1252)
        case "koi8-r", "koi8r", "cskoi8r":
            return ("koi8-r", SingleByteCharsetTables.koi8R)
        case "koi8-u", "koi8u":
            return ("koi8-u", SingleByteCharsetTables.koi8U)
        default:
            break
        }
        for prefix in ["windows-", "cp", "x-cp"] where label.hasPrefix(prefix) {
            if let number = decimal(label.dropFirst(prefix.count)), let table = windowsTable(number) {
                return ("windows-\(number)", table)
            }
        }
        for prefix in ["iso-8859-", "iso8859-", "iso_8859-", "iso8859_"] where label.hasPrefix(prefix) {
            var part = label.dropFirst(prefix.count)
            if let colon = part.firstIndex(of: ":") { part = part[..<colon] }  // "iso_8859-1:1987"
            // "iso-8859-8-i", "iso-8859-6-e": same bytes, only the text direction differs.
            let directional = part.hasSuffix("-i") || part.hasSuffix("-e")
            if directional { part = part.dropLast(2) }
            if let number = decimal(part), !directional || number == 6 || number == 8, let table = isoTable(number) {
                return ("iso-8859-\(number)", table)
            }
        }
        for prefix in ["latin", "l"] where label.hasPrefix(prefix) {
            let latinParts = [1: 1, 2: 2, 3: 3, 4: 4, 5: 9, 6: 10, 7: 13, 8: 14, 9: 15, 10: 16]
            if let latin = decimal(label.dropFirst(prefix.count)), let number = latinParts[latin],
               let table = isoTable(number) {
                return ("iso-8859-\(number)", table)
            }
        }
        return nil
    }

    /// The value of 1 to 4 ASCII digits; nil for anything else (so no signs or spaces).
    private static func decimal(_ text: Substring) -> Int? {
        guard (1...4).contains(text.utf8.count) else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    private static func isoTable(_ part: Int) -> [UInt16]? {
        typealias T = SingleByteCharsetTables
        switch part {
        case 1: return T.iso8859_1
        case 2: return T.iso8859_2
        case 3: return T.iso8859_3
        case 4: return T.iso8859_4
        case 5: return T.iso8859_5
        case 6: return T.iso8859_6
        case 7: return T.iso8859_7
        case 8: return T.iso8859_8
        case 9: return T.iso8859_9
        case 10: return T.iso8859_10
        case 11: return T.iso8859_11
        case 13: return T.iso8859_13
        case 14: return T.iso8859_14
        case 15: return T.iso8859_15
        case 16: return T.iso8859_16
        default: return nil
        }
    }

    private static func windowsTable(_ codePage: Int) -> [UInt16]? {
        typealias T = SingleByteCharsetTables
        switch codePage {
        case 1250: return T.windows1250
        case 1251: return T.windows1251
        case 1252: return T.windows1252
        case 1253: return T.windows1253
        case 1254: return T.windows1254
        case 1255: return T.windows1255
        case 1256: return T.windows1256
        case 1257: return T.windows1257
        case 1258: return T.windows1258
        default: return nil
        }
    }
}
