import MailParsing

/// Which domains speak for a message's sender: From's registrable domain, the DKIM signers,
/// the bounce address (Return-Path, or MAIL FROM before Postfix has written one) and the
/// List-Unsubscribe endpoints. Legitimate bulk mail keeps these together, or hands them to one
/// email service provider; the alignment features measure how far a message's links and
/// unsubscribe endpoints stay inside this set.
struct SenderAlignment: Sendable {
    let fromDomain: String
    /// Registrable domains of the DKIM signers and the bounce address.
    let signingDomains: Set<String>
    let bounceDomain: String
    /// Registrable domains of the List-Unsubscribe endpoints.
    let unsubscribeDomains: Set<String>
    /// From's registrable domain without its public suffix; "" when that is too short to
    /// say anything (two letters and under).
    private let fromName: String

    init(fromDomain: String, headers: HeaderEvidence, envelopeSender: String) {
        self.fromDomain = fromDomain
        let bounce = headers.returnPath?.domain ?? envelopeSender.lastPiece(separatedBy: 64) ?? ""
        bounceDomain = bounce.isEmpty ? "" : DomainNames.registrableDomain(bounce.lowercased())
        var signing = Set(headers.dkimDomains.map(DomainNames.registrableDomain))
        if !bounceDomain.isEmpty { signing.insert(bounceDomain) }
        signingDomains = signing
        unsubscribeDomains = Set(headers.listUnsubscribeHosts.map(DomainNames.registrableDomain))
        let name = Self.name(of: fromDomain)
        fromName = name.count > 2 ? name : ""
    }

    /// A DKIM signer or the bounce domain belongs to an email service provider.
    var sentThroughProvider: Bool {
        signingDomains.contains { KnownDomains.emailServiceProviders.contains($0) }
    }

    /// The bounce address is in From's registrable domain.
    var bounceAligned: Bool { !fromDomain.isEmpty && bounceDomain == fromDomain }

    /// Every List-Unsubscribe endpoint belongs with the sender (and there is one).
    var unsubscribeAligned: Bool {
        !unsubscribeDomains.isEmpty && unsubscribeDomains.allSatisfy { $0 == fromDomain || signingDomains.contains($0) || KnownDomains.emailServiceProviders.contains($0) }
    }

    /// A link's registrable domain belongs with the sender: From's, a signer's, the bounce
    /// domain, an unsubscribe endpoint's, or an email service provider's (click tracking).
    /// A name From's domain has under another public suffix (norma-online.info and
    /// norma-online.de) counts as the sender's too.
    func isAligned(_ registrable: String) -> Bool {
        registrable == fromDomain || signingDomains.contains(registrable) || unsubscribeDomains.contains(registrable)
            || KnownDomains.emailServiceProviders.contains(registrable)
            || (!fromName.isEmpty && Self.name(of: registrable) == fromName)
    }

    /// The name with umlauts spelt out, so ökoligenta.de is oekoligenta.de's twin.
    private static func name(of registrable: String) -> String {
        SenderBranding.words(of: registrable.prefix(before: ".")).joined()
    }

    /// A link offers unsubscribing or subscription preferences, by its visible text or its URL.
    static func offersUnsubscribe(anchorText: String, url: String) -> Bool {
        var anchorText = anchorText, url = url
        // ASCII (nearly every link) lower-cases byte by byte, into one buffer.
        let ascii = anchorText.withUTF8 { anchor in
            url.withUTF8 { url -> Bool? in
                guard anchor.endOfASCII(from: 0) == anchor.count, url.endOfASCII(from: 0) == url.count else { return nil }
                var text: [UInt8] = []
                text.reserveCapacity(anchor.count + 1 + url.count)
                for byte in anchor { text.append(InspectedURL.lowercase(byte)) }
                text.append(32)
                for byte in url { text.append(InspectedURL.lowercase(byte)) }
                return text.withUnsafeBufferPointer { unsubscribeWords.occur(in: $0) }
            }
        }
        if let ascii { return ascii }
        var text = anchorText.lowercased() + " " + url.lowercased()
        return text.withUTF8 { unsubscribeWords.occur(in: $0) }
    }

    /// "Unsubscribe" in the languages Gannet's users write most, lower-cased.
    static let unsubscribeWords = BytePatterns([
        "unsubscribe", "unsub", "opt-out", "optout", "opt out", "email preferences", "manage preferences", "manage your subscription",
        "abmelden", "abbestellen", "austragen", "désabonner", "desabonner", "désinscri", "desinscri", "darse de baja", "darte de baja",
        "cancelar suscripci", "afmelden", "uitschrijven", "disiscriviti", "cancella iscrizione", "descadastr", "cancelar inscri",
        "avregistrer", "avsluta prenumeration", "wypisz", "odhlásit", "отписаться",
    ])
}
