/// The business inputs the extractor needs: who is internal, whom and what attackers
/// impersonate, and whose Authentication-Results to believe.
public struct FeatureSettings: Sendable, Equatable {
    /// Domains the organisation receives mail for and sends from.
    public let internalDomains: [String]
    /// Extra domains worth protecting from lookalikes (partners, banks), beyond internal ones.
    public let protectedDomains: [String]
    /// People attackers impersonate (executives), as display names.
    public let protectedNames: [String]
    /// Brand name (lower case) → the domains that brand really sends from.
    public let brands: [String: [String]]
    /// authserv-ids of Authentication-Results headers added by our own MTAs; others are ignored
    /// because a sender can write any header it likes.
    public let trustedAuthservIDs: Set<String>
    /// Internal, protected and brand domains, compiled for lookalike checks.
    public let lookalikes: LookalikeDetector
    /// Registrable forms of the internal domains.
    public let internalRegistrable: Set<String>
    /// The protected names, lower-cased once rather than for every message.
    let lowercasedProtectedNames: [String]
    /// Each brand as a normalised phrase, with the registrable domains it really uses.
    let brandPhrases: [BrandPhrase]

    struct BrandPhrase: Sendable, Equatable {
        let phrase: [UInt8]
        let domains: Set<String>
    }

    public init(
        internalDomains: [String] = [], protectedDomains: [String] = [], protectedNames: [String] = [],
        brands: [String: [String]] = KnownDomains.defaultBrands, trustedAuthservIDs: [String] = []
    ) {
        self.internalDomains = internalDomains.map { $0.lowercased() }
        self.protectedDomains = protectedDomains.map { $0.lowercased() }
        self.protectedNames = protectedNames
        self.brands = brands
        self.trustedAuthservIDs = Set(trustedAuthservIDs.map { $0.lowercased() })
        self.lowercasedProtectedNames = protectedNames.filter { !$0.isEmpty }.map { $0.lowercased() }
        let brandDomains = brands.values.flatMap { $0 }
        self.internalRegistrable = Set(self.internalDomains.map(DomainNames.registrableDomain))
        self.brandPhrases = brands.keys.sorted().map { brand in
            BrandPhrase(phrase: TextNormaliser.normalisedPhrase(brand), domains: Set(brands[brand]!.map(DomainNames.registrableDomain)))
        }
        self.lookalikes = LookalikeDetector(protected: self.internalDomains + self.protectedDomains + brandDomains, legitimate: brandDomains)
    }
}
