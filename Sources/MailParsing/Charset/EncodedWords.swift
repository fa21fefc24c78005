/// RFC 2047 encoded words in header values ("=?utf-8?B?...?=", "=?iso-8859-1?Q?...?="), decoded to text.
///
/// Decoding is lenient where mail clients are: a word is decoded even when it touches other text,
/// and adjacent words of one charset are joined as bytes before charset decoding, because senders
/// often cut a multi-byte character between two words. Anything that does not parse is kept as written.
public enum EncodedWords {
    /// Longer header values are returned untouched, which bounds the work per header.
    static let maximumInputLength = 64 * 1024

    /// Decodes every encoded word in `value`; whitespace between two adjacent encoded words is dropped
    /// (RFC 2047 §6.2). Unknown charsets or malformed words are left as written. Returns the decoded
    /// text and how many replacement characters decoding produced.
    public static func decode(_ value: String) -> (text: String, replacements: Int) {
        let input = Array(value.utf8)
        guard input.count <= maximumInputLength, hasWordStart(input) else { return (value, 0) }

        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var replacements = 0
        // Words of one charset that follow each other are collected here and decoded together.
        var run: CharsetDecoder?
        var runBytes: [UInt8] = []

        func flushRun() {
            guard var decoder = run else { return }
            decoder.decode(runBytes, into: &output)
            decoder.finish(into: &output)
            replacements += decoder.replacementCount
            run = nil
            runBytes.removeAll(keepingCapacity: true)
        }

        var literalStart = 0
        var index = 0
        while index + 1 < input.count {
            guard input[index] == UInt8(ascii: "="), input[index + 1] == UInt8(ascii: "?"),
                  let word = parseWord(input, at: index) else {
                index += 1
                continue
            }
            let between = input[literalStart..<index]
            if let current = run, between.allSatisfy(isWhitespace) {
                // §6.2: the whitespace between two encoded words is not part of the text.
                if current.name != word.decoder.name {
                    flushRun()
                    run = word.decoder
                }
            } else {
                flushRun()
                output.append(contentsOf: between)
                run = word.decoder
            }
            runBytes.append(contentsOf: word.bytes)
            index = word.end
            literalStart = index
        }
        flushRun()
        output.append(contentsOf: input[literalStart...])
        return (String(decoding: output, as: UTF8.self), replacements)
    }

    private static func hasWordStart(_ input: [UInt8]) -> Bool {
        input.indices.dropLast().contains { input[$0] == UInt8(ascii: "=") && input[$0 + 1] == UInt8(ascii: "?") }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Parses "=?charset?encoding?text?=" starting at `start` (which holds "=?"). Returns the
    /// charset's decoder, the word's raw bytes and the index after the closing "?=", or nil if
    /// the word is malformed or its charset unknown.
    private static func parseWord(_ input: [UInt8], at start: Int) -> (decoder: CharsetDecoder, bytes: [UInt8], end: Int)? {
        let question = UInt8(ascii: "?")
        // Charset and text are printable ASCII without "?" (RFC 2047 §2); each scan stops at the
        // next "?", so failed attempts cost no more than the text up to it.
        func scanToken(from position: Int) -> Int? {
            var position = position
            while position < input.count, input[position] != question {
                guard (0x21...0x7E).contains(input[position]) else { return nil }
                position += 1
            }
            return position < input.count ? position : nil
        }

        let charsetStart = start + 2
        guard let charsetEnd = scanToken(from: charsetStart) else { return nil }
        var label = input[charsetStart..<charsetEnd]
        if let star = label.firstIndex(of: UInt8(ascii: "*")) { label = label[..<star] }  // RFC 2231 language: "utf-8*en"
        guard let decoder = CharsetDecoder(charset: String(decoding: label, as: UTF8.self)) else { return nil }

        let encodingIndex = charsetEnd + 1
        guard encodingIndex + 1 < input.count, input[encodingIndex + 1] == question else { return nil }
        let encoding = input[encodingIndex] | 0x20  // ASCII lower case

        let textStart = encodingIndex + 2
        guard let textEnd = scanToken(from: textStart), textEnd + 1 < input.count,
              input[textEnd + 1] == UInt8(ascii: "=") else { return nil }
        let text = input[textStart..<textEnd]

        let bytes: [UInt8]?
        switch encoding {
        case UInt8(ascii: "b"): bytes = decodeBase64(text)
        case UInt8(ascii: "q"): bytes = decodeQ(text)
        default: bytes = nil
        }
        guard let bytes else { return nil }
        return (decoder, bytes, textEnd + 2)
    }

    /// RFC 2047 §4.2: "_" is a space, "=XX" a hex byte; a lone "=" makes the word malformed.
    private static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "=") {
                guard index + 2 < text.endIndex, let high = hexValue(text[index + 1]),
                      let low = hexValue(text[index + 2]) else { return nil }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "_") ? 0x20 : byte)
                index += 1
            }
        }
        return bytes
    }

    /// Standard base64. Padding may be missing (some mailers drop it) but, if present, must
    /// complete the last quantum; any other character makes the word malformed.
    private static func decodeBase64(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var data = text
        var padding = 0
        while data.last == UInt8(ascii: "="), padding < 2 {
            data = data.dropLast()
            padding += 1
        }
        guard data.count % 4 != 1, padding == 0 || text.count % 4 == 0 else { return nil }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in data {
            guard let value = base64Value(character) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return bytes
    }

    private static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
