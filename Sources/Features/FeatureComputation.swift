import MailParsing

/// The end-of-message arithmetic: turns collected evidence into the feature vector.
struct FeatureComputation {
    let settings: FeatureSettings
    let envelope: MessageEnvelope
    let evidence: EvidenceCollector
    let structure: MessageStructure
    var sizeBytes = 0
    var cut = false
    var includeFullOnly = true

    private var values = FeatureVector()

    init(settings: FeatureSettings, envelope: MessageEnvelope, evidence: EvidenceCollector, structure: MessageStructure) {
        self.settings = settings
        self.envelope = envelope
        self.evidence = evidence
        self.structure = structure
        self.fromMailbox = evidence.headers.from.first
        self.fromDomain = fromMailbox.map { DomainNames.registrableDomain($0.domain) } ?? ""
        self.alignment = SenderAlignment(fromDomain: fromDomain, headers: evidence.headers, envelopeSender: envelope.sender)
    }

    mutating func compute() -> FeatureVector {
        values = FeatureVector()
        headerFeatures()
        authenticationFeatures()
        urlFeatures()
        textFeatures()
        attachmentFeatures()
        structureFeatures()
        values.ngrams = evidence.text.ngrams.entries
        return values
    }

    private mutating func set(_ feature: Feature, _ value: Double) { values[feature] = value }
    private mutating func set(_ feature: Feature, _ flag: Bool) { values[feature] = flag ? 1 : 0 }

    private let fromMailbox: Mailbox?
    /// Registrable domain of the From address, "" when there is none.
    private let fromDomain: String
    private let alignment: SenderAlignment

    private func differs(_ domain: String?) -> Bool {
        guard let domain, !domain.isEmpty, !fromDomain.isEmpty else { return false }
        return DomainNames.registrableDomain(domain) != fromDomain
    }

    // MARK: Groups

    private mutating func headerFeatures() {
        let headers = evidence.headers
        set(.fromReplyToDomainMismatch, differs(headers.replyTo.first?.domain))
        set(.fromReturnPathDomainMismatch, differs(headers.returnPath?.domain))
        let envelopeDomain = envelope.sender.lastPiece(separatedBy: 64)
        set(.fromEnvelopeDomainMismatch, envelope.sender.containsCharacter("@") && differs(envelopeDomain))
        set(.fromMissing, fromMailbox == nil || !(fromMailbox?.address.containsCharacter("@") ?? false))
        let senderDomains = [fromMailbox?.domain, headers.returnPath?.domain, envelopeDomain]
        set(.senderDomainGenerated, senderDomains.contains { $0.map(GeneratedNames.hasGeneratedLabel) ?? false })

        let displayName = fromMailbox?.displayName ?? ""
        let embedded = AddressList.parse(displayName).first { $0.address.containsCharacter("@") && $0.domain.containsCharacter(".") }
        set(.displayNameHasAddress, embedded != nil)
        set(.displayNameAddressMismatch, embedded.map { DomainNames.registrableDomain($0.domain) != fromDomain } ?? false)
        let fromIsInternal = settings.internalRegistrable.contains(fromDomain)
        let lowerName = displayName.lowercased()
        let protectedMatch = settings.lowercasedProtectedNames.contains { lowerName.containsCharacters($0) }
        set(.displayNameProtected, protectedMatch && !fromIsInternal)
        let normalisedName = TextNormaliser.normalisedPhrase(lowerName)
        let impersonatedBrand = !normalisedName.isEmpty && settings.brandPhrases.contains { brand in
            normalisedName.containsSubsequence(brand.phrase) && !brand.domains.contains(fromDomain)
        }
        set(.displayNameBrand, impersonatedBrand)
        set(.displayNameNamesSender, SenderBranding.namesSender(displayName: displayName, address: fromMailbox?.address ?? "", registrableDomain: fromDomain))
        set(.fromDomainLookalike, !fromDomain.isEmpty && settings.lookalikes.isLookalike(fromDomain))
        set(.fromFreemail, KnownDomains.freemail.contains(fromDomain))
        set(.fromInternalDomain, fromIsInternal)

        set(.messageIDMissing, !headers.sawMessageID)
        set(.messageIDDomainMismatch, headers.messageIDDomain.map { differs($0) } ?? false)
        set(.dateMissing, headers.date == nil)
        if let date = headers.date {
            if let seconds = MailDate.epochSeconds(date) {
                set(.dateFuture, envelope.receivedAt > 0 && seconds > envelope.receivedAt + 86_400)
            } else {
                set(.dateInvalid, true)
            }
        }
        set(.receivedHops, Double(headers.receivedCount))
        set(.mailerPresent, headers.mailer != nil)
        set(.mailerScripted, headers.mailer.map { mailer in KnownDomains.scriptedMailers.contains { mailer.containsCharacters($0) } } ?? false)
        let subject = headers.subject ?? ""
        set(.subjectEncoded, headers.subjectEncoded)
        set(.subjectUppercaseRatio, Self.uppercaseRatio(subject))
        let lowerSubject = subject.lowercased()
        let looksLikeReply = ["re:", "fw:", "fwd:", "aw:", "sv:", "tr:"].contains { lowerSubject.hasPrefix($0) }
        set(.fakeReply, looksLikeReply && !headers.hasThreadHeaders)
        set(.recipientsCount, Double(headers.recipients))
        set(.undisclosedRecipients, !headers.sawTo || headers.undisclosed)
        set(.rawEightBitHeaders, headers.eightBit)
        set(.listUnsubscribe, headers.listUnsubscribe)
        set(.bulkPrecedence, headers.bulkPrecedence)
        set(.listUnsubscribeOneClick, headers.listUnsubscribePost && headers.listUnsubscribeHTTPS)
        set(.senderESP, alignment.sentThroughProvider)
    }

    private mutating func authenticationFeatures() {
        let headers = evidence.headers
        if let results = headers.trustedResults {
            set(.authResultsTrusted, true)
            let spf = results.verdict("spf")
            set(.spfPass, spf == "pass")
            set(.spfFail, spf == "fail")
            set(.spfSoftfail, spf == "softfail")
            let dkim = results.verdict("dkim")
            set(.dkimPass, dkim == "pass")
            set(.dkimFail, dkim == "fail")
            let dmarc = results.verdict("dmarc")
            set(.dmarcPass, dmarc == "pass")
            set(.dmarcFail, dmarc == "fail")
            set(.arcFail, results.verdict("arc") == "fail")
        }
        set(.dkimSignaturePresent, !headers.dkimDomains.isEmpty)
        set(.dkimAligned, headers.dkimDomains.contains { DomainNames.registrableDomain($0) == fromDomain && !fromDomain.isEmpty })
        set(.bounceAligned, alignment.bounceAligned)
        set(.unsubscribeAligned, alignment.unsubscribeAligned)
    }

    /// What the URL features need to know about one host, computed once per distinct host.
    private struct HostFacts {
        let registrable: String
        let isIP: Bool
        let lookalike: Bool
        let shortener: Bool
        let suspiciousTLD: Bool
        let freeHosting: Bool
        let punycode: Bool
        /// The host belongs with the sender (`SenderAlignment.isAligned`).
        let aligned: Bool
    }

    private func facts(_ host: String) -> HostFacts {
        let registrable = DomainNames.registrableDomain(host)
        let tld = host.lastPiece(separatedBy: 46) ?? ""
        return HostFacts(
            registrable: registrable,
            isIP: DomainNames.isIPAddress(host),
            lookalike: settings.lookalikes.isLookalike(host),
            shortener: KnownDomains.shorteners.contains(host) || KnownDomains.shorteners.contains(registrable),
            suspiciousTLD: KnownDomains.suspiciousTLDs.contains(tld),
            freeHosting: KnownDomains.host(host, isUnder: KnownDomains.freeHostingSuffixes),
            punycode: host.containsBytes("xn--") || host.utf8.contains { $0 >= 128 },
            aligned: alignment.isAligned(registrable)
        )
    }

    private mutating func urlFeatures() {
        let htmlURLs = evidence.links.filter { $0.kind == .anchor || $0.kind == .area || $0.kind == .form || $0.kind == .meta }
        let inspected = htmlURLs.map { InspectedURL(parsing: $0.url) } + evidence.plainURLs.urls.map { InspectedURL(parsing: $0) }
        let web = inspected.filter(\.isWeb)
        // Many links share a host: judge each host once.
        var hosts: [String: HostFacts] = [:]
        for url in web where hosts[url.host] == nil { hosts[url.host] = facts(url.host) }
        let webFacts = web.map { hosts[$0.host]! }
        func count(_ property: (HostFacts) -> Bool) -> Double {
            Double(webFacts.filter(property).count)
        }
        set(.urlCount, Double(inspected.count + evidence.plainURLs.dropped))
        set(.urlDistinctDomains, Double(Set(hosts.values.map(\.registrable)).count))
        set(.urlIPHost, count(\.isIP))
        set(.urlPunycode, count(\.punycode))
        set(.urlLookalike, count(\.lookalike))
        set(.urlShortener, count(\.shortener))
        set(.urlSuspiciousTLD, count(\.suspiciousTLD))
        set(.urlFreeHosting, count(\.freeHosting))
        var anchorMismatch = 0
        // `inspected` starts with the HTML URLs, in order.
        for (link, target) in zip(htmlURLs, inspected) where link.kind == .anchor {
            guard target.isWeb, let shown = Self.domainShown(in: link.anchorText) else { continue }
            let shownDomain = DomainNames.registrableDomain(shown), targetFacts = hosts[target.host]
            // A sender's own name shown over its own tracking link deceives nobody.
            if shownDomain != targetFacts?.registrable, !(alignment.isAligned(shownDomain) && targetFacts?.aligned == true) { anchorMismatch += 1 }
        }
        set(.urlAnchorMismatch, Double(anchorMismatch))
        set(.urlCredentialPath, Double(web.filter(\.hasCredentialPath).count))
        set(.urlDataScheme, Double(inspected.filter { $0.scheme == "data" }.count))
        set(.urlJavascriptScheme, Double(inspected.filter { $0.scheme == "javascript" || $0.scheme == "vbscript" }.count))
        set(.urlRedirectParameter, Double(web.filter(\.hasRedirectParameter).count))
        set(.urlUserInfo, Double(web.filter(\.hasUserInfo).count))
        set(.urlNonstandardPort, Double(web.filter { $0.port.map { ![80, 443].contains($0) } ?? false }.count))
        set(.urlLong, Double(web.filter { $0.length > 200 }.count))
        let sameDomain = webFacts.filter { $0.registrable == fromDomain }.count
        set(.urlFromDomainShare, web.isEmpty ? 0 : Double(sameDomain) / Double(web.count))
        let aligned = webFacts.filter(\.aligned).count
        // No link leads anywhere else: as aligned as can be.
        set(.urlSenderAlignedShare, web.isEmpty ? 1 : Double(aligned) / Double(web.count))
        let unsubscribeLinks = htmlURLs.filter { $0.kind == .anchor && SenderAlignment.offersUnsubscribe(anchorText: $0.anchorText, url: $0.url) }.count
            + evidence.plainURLs.urls.filter { SenderAlignment.offersUnsubscribe(anchorText: "", url: $0) }.count
        set(.urlUnsubscribe, Double(unsubscribeLinks))
    }

    private mutating func textFeatures() {
        let text = evidence.text
        for (feature, count) in zip(PhraseGroups.features, text.phraseCounts) { set(feature, Double(count)) }
        set(.textBytes, Self.log2p1(Double(text.bytes)))
        set(.textUppercaseRatio, text.letters == 0 ? 0 : Double(text.uppercase) / Double(text.letters))
        set(.textDigitRatio, text.bytes == 0 ? 0 : Double(text.digits) / Double(text.bytes))
    }

    private mutating func attachmentFeatures() {
        let attachments = evidence.parts.filter(\.isAttachment)
        set(.attachmentCount, Double(attachments.count))
        var executable = 0, macro = 0, html = 0, disk = 0, double = 0, mismatch = 0, shortcut = 0, pdf = 0, archiveExecutable = 0, encrypted = 0
        for part in attachments {
            let name = (part.filename ?? "").lowercased()
            let ext = AttachmentNames.extensionOf(name)
            let sniffed = part.sniffedType
            // A "#!" script runs only where someone makes it executable: its name decides.
            if AttachmentNames.executable.contains(ext) || [.pe, .elf, .machO].contains(sniffed) { executable += 1 }
            if AttachmentNames.macroOffice.contains(ext) || (sniffed == .ole2 && AttachmentNames.legacyOffice.contains(ext)) { macro += 1 }
            if ["html", "htm", "shtml", "xhtml", "svg", "mht", "mhtml"].contains(ext) || sniffed == .html || sniffed == .svg { html += 1 }
            if AttachmentNames.diskImage.contains(ext) || sniffed == .iso9660 { disk += 1 }
            if AttachmentNames.hasDoubleExtension(name) { double += 1 }
            if let sniffed, AttachmentNames.contradicts(sniffed: sniffed, extension: ext, contentType: part.contentType) { mismatch += 1 }
            if ["lnk", "url", "one", "onepkg", "website", "library-ms", "searchconnector-ms"].contains(ext) || sniffed == .lnk || sniffed == .oneNote { shortcut += 1 }
            if ext == "pdf" || sniffed == .pdf { pdf += 1 }
            if part.zipMembers.contains(where: { AttachmentNames.executable.contains(AttachmentNames.extensionOf($0.lowercased())) || AttachmentNames.hasDoubleExtension($0.lowercased()) }) {
                archiveExecutable += 1
            }
            if part.zipEncryptedMembers > 0 { encrypted += 1 }
        }
        set(.attachmentExecutable, Double(executable))
        set(.attachmentMacroOffice, Double(macro))
        set(.attachmentHTML, Double(html))
        set(.attachmentDiskImage, Double(disk))
        set(.attachmentDoubleExtension, Double(double))
        set(.attachmentTypeMismatch, Double(mismatch))
        set(.attachmentShortcut, Double(shortcut))
        set(.attachmentPDF, Double(pdf))
        if includeFullOnly {
            set(.archiveWithExecutable, Double(archiveExecutable))
            set(.archiveEncrypted, Double(encrypted))
        }
    }

    private mutating func structureFeatures() {
        set(.sizeBytes, Self.log2p1(Double(sizeBytes)))
        set(.partCount, Double(structure.leafParts))
        set(.htmlOnly, structure.htmlParts > 0 && structure.plainTextParts == 0)
        let plain = evidence.text.plainWords, html = evidence.text.htmlWords
        set(.textHTMLAgreement, plain.isEmpty || html.isEmpty ? 1 : plain.coverage(of: html))
        let stats = structure.html
        let htmlText = stats.visibleTextBytes + stats.hiddenTextBytes
        set(.hiddenTextRatio, htmlText == 0 ? 0 : Double(stats.hiddenTextBytes) / Double(htmlText))
        set(.trackingPixels, Double(stats.trackingPixels))
        set(.htmlForms, Double(stats.forms))
        set(.htmlPasswordInputs, Double(stats.passwordInputs))
        set(.htmlScripts, Double(stats.scripts))
        set(.htmlIframes, Double(stats.iframes + stats.objects))
        set(.zeroWidthCharacters, Double(stats.zeroWidthCharacters))
        set(.metaRefresh, stats.metaRefresh)
        set(.nulBytes, Double(structure.nulBytes))
        let parts = evidence.parts
        set(.charsetReplacements, Double(parts.reduce(0) { $0 + $1.charsetReplacements }))
        set(.transferDecodeErrors, Double(parts.reduce(0) { $0 + $1.transferDecodeErrors + ($1.transferMalformed ? 1 : 0) }))
        set(.parserLimitsHit, Double(structure.limitsHit.count))
        set(.mimeAnomalies, Double(structure.multipartsWithoutBoundary + structure.unterminatedMultiparts + structure.malformedHeaderLines))
        set(.bodyCut, cut)
    }

    // MARK: Helpers

    static func log2p1(_ value: Double) -> Double {
        var result = 0.0
        var remaining = value + 1
        // log2 without Foundation: integer part by halving, fraction by linear interpolation.
        while remaining >= 2 { remaining /= 2; result += 1 }
        return result + (remaining - 1)
    }

    static func uppercaseRatio(_ text: String) -> Double {
        var letters = 0, upper = 0
        for byte in text.utf8 {
            if byte >= 65 && byte <= 90 { upper += 1; letters += 1 } else if byte >= 97 && byte <= 122 { letters += 1 }
        }
        return letters == 0 ? 0 : Double(upper) / Double(letters)
    }

    /// A domain name the anchor text shows the reader (`www.paypal.com`, `https://bank.com/x`).
    static func domainShown(in anchor: String) -> String? {
        let trimmed = anchor.trimmingCharacters(in: " \t\r\n<>\"'")
        guard !trimmed.containsCharacter(" "), trimmed.containsCharacter(".") else { return nil }
        let url = InspectedURL(parsing: trimmed.containsCharacters("://") || trimmed.lowercased().hasPrefix("www.") ? trimmed : "http://" + trimmed)
        let labels = url.host.split(separator: ".")
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) else { return nil }
        return url.host
    }
}

extension [UInt8] {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return false }
        return withUnsafeBufferPointer { text in needle.withUnsafeBufferPointer { text.firstRange(of: $0) != nil } }
    }
}
