/// A structured MIME header value such as `text/html; charset="utf-8"` or
/// `attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`: a token and its parameters.
public struct MIMEHeaderValue: Sendable, Equatable {
    /// Lower-cased main value (`text/html`, `attachment`).
    public let value: String
    /// Parameters by lower-cased name; RFC 2231 continuations joined and decoded.
    public let parameters: [String: String]

    public init(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        let value = Self.token(bytes, &index, stopAt: 59)
        self.value = value.trimmedLowercasedASCII
        var raw: [(name: String, value: String)] = []
        while index < bytes.count {
            guard bytes[index] == 59 else { index += 1; continue }
            index += 1
            let name = Self.token(bytes, &index, stopAt: 61).trimmedLowercasedASCII
            guard index < bytes.count, bytes[index] == 61 else { continue }
            index += 1
            while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 || bytes[index] == 10 || bytes[index] == 13 { index += 1 }
            let parameterValue: String
            if index < bytes.count, bytes[index] == 34 {
                parameterValue = Self.quoted(bytes, &index)
                while index < bytes.count, bytes[index] != 59 { index += 1 }
            } else {
                parameterValue = Self.token(bytes, &index, stopAt: 59).trimmingASCIISpaces
            }
            if !name.isEmpty { raw.append((name, parameterValue)) }
        }
        self.parameters = Self.combineRFC2231(raw)
    }

    public subscript(parameter: String) -> String? { parameters[parameter] }

    private static func token(_ bytes: [UInt8], _ index: inout Int, stopAt stop: UInt8) -> String {
        let start = index
        while index < bytes.count, bytes[index] != stop, bytes[index] != 59 { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func quoted(_ bytes: [UInt8], _ index: inout Int) -> String {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count, bytes[index] != 34 {
            if bytes[index] == 92, index + 1 < bytes.count { index += 1 }
            if bytes[index] != 13, bytes[index] != 10 { out.append(bytes[index]) }
            index += 1
        }
        if index < bytes.count { index += 1 }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 2231: `name*0*=utf-8''a%20b; name*1=c` → `name = "a bc"`; `name*=…` is charset-encoded.
    private static func combineRFC2231(_ raw: [(name: String, value: String)]) -> [String: String] {
        var plain: [String: String] = [:]
        plain.reserveCapacity(raw.count)
        var sections: [String: [(index: Int, encoded: Bool, value: String)]] = [:]
        for (name, value) in raw {
            // In ASCII a "*" byte is a whole character; elsewhere a combining mark may follow it.
            let star = name.utf8.allSatisfy { $0 < 0x80 } ? name.utf8.firstIndex(of: 42) : name.firstIndex(of: "*")
            guard let star else {
                if plain[name] == nil { plain[name] = value }
                continue
            }
            let base = String(name[..<star])
            let rest = name[name.index(after: star)...]
            let encoded = rest.hasSuffix("*") || rest.isEmpty
            let number = Int(rest.filter { $0 != "*" }) ?? 0
            sections[base, default: []].append((number, encoded, value))
        }
        for (base, parts) in sections {
            var bytes: [UInt8] = []
            var charset: String?
            for part in parts.sorted(by: { $0.index < $1.index }) {
                var value = part.value
                if part.encoded, part.index == 0 {
                    let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if pieces.count == 3 {
                        charset = String(pieces[0])
                        value = String(pieces[2])
                    }
                }
                bytes += part.encoded ? percentDecoded(value) : Array(value.utf8)
            }
            var decoder = charset.flatMap { CharsetDecoder(charset: $0) } ?? CharsetDecoder(charset: "utf-8")!
            var output: [UInt8] = []
            decoder.decode(bytes, into: &output)
            decoder.finish(into: &output)
            plain[base] = String(decoding: output, as: UTF8.self)
        }
        return plain
    }

    private static func percentDecoded(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 37, index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}

func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 48...57: byte - 48
    case 65...70: byte - 55
    case 97...102: byte - 87
    default: nil
    }
}

extension String {
    /// On the string's own bytes, and the string itself when there is nothing to trim.
    var trimmingASCIISpaces: String {
        var text = self
        return text.withUTF8 { bytes in
            guard let kept = Self.withoutASCIISpaces(bytes) else { return "" }
            return kept.count == bytes.count ? self : String(decoding: bytes[kept], as: UTF8.self)
        }
    }

    /// Trimmed and lower-cased in one pass into one new string.
    var trimmedLowercasedASCII: String {
        var text = self
        return text.withUTF8 { bytes in
            guard let kept = Self.withoutASCIISpaces(bytes) else { return "" }
            return String(unsafeUninitializedCapacity: kept.count) { out in
                for (offset, byte) in bytes[kept].enumerated() { out[offset] = HeaderField.lowerASCII(byte) }
                return kept.count
            }
        }
    }

    /// The bytes between leading and trailing spaces, tabs, CRs and LFs; nil when that is all.
    private static func withoutASCIISpaces(_ bytes: UnsafeBufferPointer<UInt8>) -> ClosedRange<Int>? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else { return nil }
        return start...end
    }
}
