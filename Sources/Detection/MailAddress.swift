/// A mailbox address reduced to what list matching needs: lower-cased local part and domain.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let localPart: String
    public let domain: String

    public var description: String { "\(localPart)@\(domain)" }

    /// Parses `user@example.com`, `<user@example.com>` or `Name <user@example.com>`;
    /// returns nil for the null sender `<>` and for anything without a domain.
    public init?(parsing text: some StringProtocol) {
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
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
