/// One header field as received: the name, and the value with folds kept.
public struct HeaderField: Sendable, Equatable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Case-insensitive name comparison (`String.caseInsensitiveEquals`).
    public func isNamed(_ other: String) -> Bool {
        name.caseInsensitiveEquals(other)
    }

    /// The value with folding whitespace (CR, LF) turned into single spaces and trimmed.
    public var unfoldedValue: String {
        // Most values are one line with nothing to trim: they are returned as they are.
        var asSent = value
        let unchanged = asSent.withUTF8 { bytes in
            !bytes.contains { $0 == 13 || $0 == 10 || $0 == 9 } && bytes.first != 32 && bytes.last != 32
        }
        if unchanged { return asSent }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if byte == 13 || byte == 10 {
                if bytes.last != 32 { bytes.append(32) }
            } else if byte == 9, bytes.last == 32 {
                continue
            } else {
                bytes.append(byte)
            }
        }
        while bytes.last == 32 || bytes.last == 9 { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != 32 && $0 != 9 } ?? bytes.endIndex
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    static func lowerASCII(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}
