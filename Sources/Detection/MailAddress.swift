/// A mailbox address reduced to what list matching needs: lower-cased local part and domain.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let localPart: String
    public let domain: String

    public var description: String { "\(localPart)@\(domain)" }

    /// Parses `user@example.com`, `<user@example.com>` or `Name <user@example.com>`;
    /// returns nil for the null sender `<>` and for anything without a domain.
    public init?(parsing text: some StringProtocol) {
        var string = String(text)
        switch string.withUTF8(Self.parseASCII) {
        case .address(let localPart, let domain):
            self.localPart = localPart
            self.domain = domain
            return
        case .none:
            return nil
        case .notASCII:
            break
        }
        var candidate = Substring(text).trimmingSpaces()
        if let open = candidate.lastIndex(of: "<") {
            let afterOpen = candidate[candidate.index(after: open)...]
            guard let close = afterOpen.firstIndex(of: ">") else { return nil }
            candidate = afterOpen[..<close].trimmingSpaces()
        }
        // Source routes (`@relay:user@host`) are obsolete; the mailbox is after the colon.
        if candidate.first == "@", let colon = candidate.firstIndex(of: ":") {
            candidate = candidate[candidate.index(after: colon)...]
        }
        guard let at = candidate.lastIndex(of: "@") else { return nil }
        let local = candidate[..<at]
        var domain = candidate[candidate.index(after: at)...]
        if domain.last == "." { domain = domain.dropLast() }
        guard !local.isEmpty, !domain.isEmpty, !domain.contains(where: { $0 == " " || $0 == "@" }) else { return nil }
        self.localPart = local.lowercased()
        self.domain = domain.lowercased()
    }

    private enum ASCIIParse {
        case address(String, String)
        case none
        case notASCII
    }

    /// `init(parsing:)` on bytes, for ASCII without CR (nearly every address): there each
    /// character is one byte (CR LF would be one character), so this finds what the
    /// character-wise parse finds, without its cost per character.
    private static func parseASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> ASCIIParse {
        guard !bytes.contains(where: { $0 >= 0x80 || $0 == 13 }) else { return .notASCII }
        // Character.isWhitespace, in ASCII: tab, line feed, vertical tab, form feed, CR, space.
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var start = range.lowerBound, end = range.upperBound
            while start < end, (9...13).contains(bytes[start]) || bytes[start] == 32 { start += 1 }
            while end > start, (9...13).contains(bytes[end - 1]) || bytes[end - 1] == 32 { end -= 1 }
            return start..<end
        }
        var candidate = trimmed(0..<bytes.count)
        if let open = bytes[candidate].lastIndex(of: 60) {
            guard let close = bytes[(open + 1)..<candidate.upperBound].firstIndex(of: 62) else { return .none }
            candidate = trimmed((open + 1)..<close)
        }
        if candidate.first.map({ bytes[$0] }) == 64, let colon = bytes[candidate].firstIndex(of: 58) {
            candidate = (colon + 1)..<candidate.upperBound
        }
        guard let at = bytes[candidate].lastIndex(of: 64) else { return .none }
        let local = candidate.lowerBound..<at
        var domain = (at + 1)..<candidate.upperBound
        if domain.last.map({ bytes[$0] }) == 46 { domain = domain.lowerBound..<(domain.upperBound - 1) }
        guard !local.isEmpty, !domain.isEmpty, !bytes[domain].contains(where: { $0 == 32 || $0 == 64 }) else { return .none }
        func lowered(_ range: Range<Int>) -> String {
            String(decoding: bytes[range].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        return .address(lowered(local), lowered(domain))
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
