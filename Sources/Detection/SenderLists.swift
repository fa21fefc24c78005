/// Administrators' allow and block lists for senders. Block wins over allow.
///
/// A domain entry matches the domain and every subdomain of it (`example.com` covers
/// `mail.example.com`). An address entry matches that mailbox exactly, case-insensitively.
public struct SenderLists: Sendable, Equatable {
    public let blockedAddresses: Set<String>
    public let blockedDomains: Set<String>
    public let allowedAddresses: Set<String>
    public let allowedDomains: Set<String>
    /// Recipients (addresses, or domains covering subdomains) whose mail is only ever tagged:
    /// a message for them alone is delivered with its verdict header, never held.
    public let tagOnlyAddresses: Set<String>
    public let tagOnlyDomains: Set<String>

    public init(
        blockedAddresses: [String] = [], blockedDomains: [String] = [],
        allowedAddresses: [String] = [], allowedDomains: [String] = [], tagOnlyRecipients: [String] = []
    ) {
        self.blockedAddresses = Set(blockedAddresses.map(Self.normalise))
        self.blockedDomains = Set(blockedDomains.map(Self.normaliseDomain))
        self.allowedAddresses = Set(allowedAddresses.map(Self.normalise))
        self.allowedDomains = Set(allowedDomains.map(Self.normaliseDomain))
        self.tagOnlyAddresses = Set(tagOnlyRecipients.filter { $0.contains("@") && !$0.hasPrefix("@") }.map(Self.normalise))
        self.tagOnlyDomains = Set(tagOnlyRecipients.filter { !$0.contains("@") || $0.hasPrefix("@") }.map(Self.normaliseDomain))
    }

    /// True when every recipient is tag-only (and there is at least one).
    public func onlyTagging(_ recipients: [MailAddress]) -> Bool {
        !recipients.isEmpty && recipients.allSatisfy { tagOnlyAddresses.contains($0.description) || Self.domain($0.domain, isCoveredBy: tagOnlyDomains) }
    }

    public static let empty = SenderLists()

    /// The list reason that applies to a sender, if any.
    public func match(_ address: MailAddress) -> Reason? {
        // The address is spelled out once, and only when there are addresses to look it up in.
        let spelled = blockedAddresses.isEmpty && allowedAddresses.isEmpty ? "" : address.description
        if !blockedAddresses.isEmpty, blockedAddresses.contains(spelled) { return Reason(name: "BLOCKED_SENDER", weight: 1) }
        if Self.domain(address.domain, isCoveredBy: blockedDomains) { return Reason(name: "BLOCKED_DOMAIN", weight: 1) }
        if !allowedAddresses.isEmpty, allowedAddresses.contains(spelled) { return Reason(name: "ALLOWED_SENDER", weight: -1) }
        if Self.domain(address.domain, isCoveredBy: allowedDomains) { return Reason(name: "ALLOWED_DOMAIN", weight: -1) }
        return nil
    }

    static func domain(_ domain: String, isCoveredBy entries: Set<String>) -> Bool {
        if entries.isEmpty { return false }
        var suffix = Substring(domain)
        while true {
            if entries.contains(String(suffix)) { return true }
            guard let dot = suffix.firstIndex(of: ".") else { return false }
            suffix = suffix[suffix.index(after: dot)...]
        }
    }

    static func normalise(_ entry: String) -> String {
        MailAddress(parsing: entry)?.description ?? entry.lowercased()
    }

    static func normaliseDomain(_ entry: String) -> String {
        var domain = Substring(entry.lowercased()).trimmingSpaces()
        if domain.first == "@" { domain = domain.dropFirst() }
        if domain.last == "." { domain = domain.dropLast() }
        return String(domain)
    }
}
