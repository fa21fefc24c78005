/// One mailbox from an address header: `"Display Name" <local@domain>`.
public struct Mailbox: Sendable, Equatable {
    /// Display name, with quotes removed and RFC 2047 words decoded; "" when absent.
    public let displayName: String
    /// `local@domain` as written (the domain lower-cased); may lack a domain in broken mail.
    public let address: String

    public init(displayName: String, address: String) {
        self.displayName = displayName
        self.address = address
    }

    /// Lower-cased domain, "" when the address has none.
    public var domain: String {
        var address = address
        // In ASCII every "@" byte is an "@" character: no scan character by character.
        let ascii = address.withUTF8 { bytes -> String? in
            guard bytes.endOfASCII(from: 0) == bytes.count else { return nil }
            return bytes.lastIndex(of: 64).map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) } ?? ""
        }
        if let ascii { return ascii }
        guard let at = address.lastIndex(of: "@") else { return "" }
        return String(address[address.index(after: at)...])
    }

    public var localPart: String {
        guard let at = address.lastIndex(of: "@") else { return address }
        return String(address[..<at])
    }
}

/// A tolerant RFC 5322 address-list parser: quoted strings, comments, groups, angle addresses,
/// obsolete source routes, and the broken forms real mail carries (unquoted commas in names
/// excepted, which no parser can tell from a list separator).
public enum AddressList {
    public static func parse(_ value: String) -> [Mailbox] {
        var mailboxes: [Mailbox] = []
        for segment in segments(Array(value.utf8)) {
            if let mailbox = mailbox(segment) { mailboxes.append(mailbox) }
        }
        return mailboxes
    }

    /// Splits at top-level commas, and drops group names (`Team: a@x, b@y;`).
    private static func segments(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        var inQuotes = false
        var commentDepth = 0
        var inAngle = false
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 92 { index += 1 } else if byte == 34 { inQuotes = false }
            } else if commentDepth > 0 {
                if byte == 92 { index += 1 } else if byte == 40 { commentDepth += 1 } else if byte == 41 { commentDepth -= 1 }
            } else {
                switch byte {
                case 34: inQuotes = true
                case 40: commentDepth = 1
                case 60: inAngle = true
                case 62: inAngle = false
                case 44 where !inAngle, 59 where !inAngle:
                    result.append(bytes[start..<index])
                    start = index + 1
                case 58 where !inAngle:
                    // A group name ends here; what follows are its members.
                    start = index + 1
                default: break
                }
            }
            index += 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    private static func mailbox(_ segment: ArraySlice<UInt8>) -> Mailbox? {
        // Room for the whole segment up front: each gets at most a byte per byte read, and
        // growing byte by byte reallocated several times per address.
        var display: [UInt8] = []
        display.reserveCapacity(segment.count)
        var angle: [UInt8]?
        var bare: [UInt8] = []
        bare.reserveCapacity(segment.count)
        var comment: [UInt8] = []
        var index = segment.startIndex
        var inQuotes = false
        var commentDepth = 0
        while index < segment.endIndex {
            let byte = segment[index]
            if inQuotes {
                if byte == 92, index + 1 < segment.endIndex {
                    index += 1
                    display.append(segment[index])
                } else if byte == 34 {
                    inQuotes = false
                } else {
                    display.append(byte)
                }
            } else if commentDepth > 0 {
                if byte == 40 { commentDepth += 1 } else if byte == 41 { commentDepth -= 1 } else if commentDepth == 1 { comment.append(byte) }
            } else if angle != nil, byte != 62 {
                if byte == 40 { commentDepth = 1 } else if byte != 32 && byte != 9 && byte != 10 && byte != 13 { angle!.append(byte) }
            } else {
                switch byte {
                case 34: inQuotes = true
                case 40: commentDepth = 1
                case 60: angle = []
                case 62: break
                default:
                    display.append(byte)
                    if byte != 32 && byte != 9 && byte != 10 && byte != 13 { bare.append(byte) }
                }
            }
            index += 1
        }
        var address: [UInt8]
        var name: String
        if let angle {
            address = angle
            name = String(decoding: display, as: UTF8.self).trimmingASCIISpaces
        } else {
            address = bare
            name = String(decoding: comment, as: UTF8.self).trimmingASCIISpaces
        }
        // Obsolete source route: <@relay1,@relay2:user@host>.
        if address.first == 64, let colon = address.firstIndex(of: 58) { address = Array(address[(colon + 1)...]) }
        guard !address.isEmpty || !name.isEmpty else { return nil }
        if name.containsBytes("=?") { name = EncodedWords.decode(name).text }
        return Mailbox(displayName: name, address: normalise(address))
    }

    /// Written into one buffer: the "@" is ASCII, so decoding the parts apart or together
    /// repairs the same bytes.
    private static func normalise(_ address: [UInt8]) -> String {
        guard let at = address.lastIndex(of: 64) else { return String(decoding: address, as: UTF8.self) }
        let end = address.last == 46 && address.count - 1 > at ? address.count - 1 : address.count
        return String(unsafeUninitializedCapacity: end) { out in
            for index in 0...at { out[index] = address[index] }
            for index in (at + 1)..<end { out[index] = HeaderField.lowerASCII(address[index]) }
            return end
        }
    }
}
