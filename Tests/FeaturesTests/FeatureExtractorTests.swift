import Features
import MailParsing
import Testing

/// Runs a stored message through the extractor the way the milter feeds it.
func extract(_ text: String, settings: FeatureSettings = FeatureSettings(), pass: FeatureExtractor.Pass = .full, chunkSize: Int = 0,
             envelope: MessageEnvelope = MessageEnvelope(sender: "bounce@example.net", receivedAt: 1_751_360_000)) -> FeatureVector {
    let bytes = Array(text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n").utf8)
    var extractor = FeatureExtractor(settings: settings, pass: pass, envelope: envelope)
    var index = 0
    var lastName: String?
    var lastValue = ""
    while index < bytes.count {
        let end = bytes[index...].firstIndex(of: 10) ?? bytes.count
        var line = bytes[index..<end]
        if line.last == 13 { line = line.dropLast() }
        index = end + 1
        if line.isEmpty { break }
        if line.first == 32 || line.first == 9 {
            lastValue += "\n" + String(decoding: line, as: UTF8.self)
            continue
        }
        if let name = lastName { extractor.header(name: name, value: lastValue) }
        let colon = line.firstIndex(of: 58)!
        lastName = String(decoding: line[..<colon], as: UTF8.self)
        lastValue = String(decoding: line[(colon + 1)...].drop { $0 == 32 }, as: UTF8.self)
    }
    if let name = lastName { extractor.header(name: name, value: lastValue) }
    extractor.endOfHeaders()
    let body = index < bytes.count ? Array(bytes[index...]) : []
    let step = chunkSize == 0 ? max(body.count, 1) : chunkSize
    var offset = 0
    while offset < body.count {
        body[offset..<min(offset + step, body.count)].withUnsafeBytes { extractor.body($0) }
        offset += step
    }
    return extractor.finish()
}

enum Samples {
    static let brandPhish = """
        From: "PayPal Service" <service@paypa1-secure.com>
        Reply-To: help@another.example
        To: victim@gannet.test
        Subject: Your account has been suspended
        Date: Tue, 1 Jul 2025 10:52:37 +0200
        X-Mailer: PHPMailer 6.0
        Authentication-Results: mx.gannet.test; spf=fail smtp.mailfrom=paypa1-secure.com; dkim=none; dmarc=fail header.from=paypa1-secure.com
        Authentication-Results: forged.example; spf=pass; dkim=pass; dmarc=pass
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="alt"

        --alt
        Content-Type: text/plain; charset=utf-8

        Verify your account within 24 hours or it will be suspended: http://bit.ly/3xYz
        --alt
        Content-Type: text/html; charset=utf-8

        <p>Verify your account <a href="http://paypa1-secure.com/signin?next=https%3A%2F%2Fx">https://www.paypal.com</a></p>
        <div style="display:none">lorem ipsum dolor sit amet</div><img src="http://t.example/p.gif" width="1" height="1">
        <form action="http://198.51.100.7/post"><input type="password"></form>
        --alt--
        """

    static let colleague = """
        From: Bob Builder <bob@gannet.test>
        To: alice@gannet.test
        Subject: Re: lunch
        In-Reply-To: <1@gannet.test>
        Message-ID: <2@gannet.test>
        Date: Tue, 1 Jul 2025 10:52:37 +0200
        Content-Type: text/plain

        Noon works for me. See https://intranet.gannet.test/menu
        """

    static let invoiceWithArchive = """
        From: "Jane Doe" <jane.doe@gmail.com>
        To: ap@gannet.test
        Subject: Invoice
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: text/plain

        Please process the attached invoice and the wire transfer today. New bank details inside.
        --m
        Content-Type: application/zip; name="invoice.zip"
        Content-Transfer-Encoding: base64

        UEsDBBQAAAAAAAAAIQCAflBYBAAAAAQAAAAPAAAAaW52b2ljZS5wZGYuZXhlTVqQAFBLAQIUAxQAAAAAAAAAIQCAflBYBAAAAAQAAAAP
        AAAAAAAAAAAAAACAAQAAAABpbnZvaWNlLnBkZi5leGVQSwUGAAAAAAEAAQA9AAAAMQAAAAAA
        --m--
        """

    static let all = [brandPhish, colleague, invoiceWithArchive]
}

@Suite struct FeatureExtractorTests {
    let settings = FeatureSettings(internalDomains: ["gannet.test"], protectedNames: ["Jane Doe"], trustedAuthservIDs: ["mx.gannet.test"])

    @Test func brandPhishingLightsUpItsFeatures() {
        let vector = extract(Samples.brandPhish, settings: settings)
        #expect(vector[.displayNameBrand] == 1)
        #expect(vector[.fromDomainLookalike] == 1)
        #expect(vector[.fromReplyToDomainMismatch] == 1)
        #expect(vector[.mailerScripted] == 1)
        #expect(vector[.urlAnchorMismatch] == 1)
        #expect(vector[.urlCredentialPath] >= 1)
        #expect(vector[.urlRedirectParameter] >= 1)
        #expect(vector[.urlShortener] == 1)
        #expect(vector[.urlIPHost] == 1)
        #expect(vector[.urlLookalike] >= 1)
        #expect(vector[.phraseCredentials] >= 1)
        #expect(vector[.phraseUrgency] >= 1)
        #expect(vector[.phraseAccountProblem] >= 1)
        #expect(vector[.trackingPixels] == 1)
        #expect(vector[.htmlForms] == 1 && vector[.htmlPasswordInputs] == 1)
        #expect(vector[.hiddenTextRatio] > 0)
        #expect(vector[.partCount] == 2)
        #expect(vector.ngrams.count > 10)
    }

    @Test func onlyTrustedAuthenticationResultsCount() {
        let vector = extract(Samples.brandPhish, settings: settings)
        #expect(vector[.authResultsTrusted] == 1)
        #expect(vector[.spfFail] == 1 && vector[.dmarcFail] == 1)
        #expect(vector[.spfPass] == 0 && vector[.dkimPass] == 0)
        let untrusting = extract(Samples.brandPhish, settings: FeatureSettings(trustedAuthservIDs: ["elsewhere"]))
        #expect(untrusting[.authResultsTrusted] == 0 && untrusting[.spfFail] == 0)
    }

    @Test func anOrdinaryInternalReplyStaysQuiet() {
        let vector = extract(Samples.colleague, settings: settings, envelope: MessageEnvelope(sender: "bob@gannet.test", receivedAt: 1_751_360_000))
        for feature in [Feature.displayNameBrand, .fromDomainLookalike, .fakeReply, .urlAnchorMismatch, .urlLookalike, .phraseCredentials,
                        .phraseUrgency, .fromEnvelopeDomainMismatch, .messageIDMissing, .dateFuture, .dateInvalid, .hiddenTextRatio] {
            #expect(vector[feature] == 0, "\(feature)")
        }
        #expect(vector[.fromInternalDomain] == 1)
        #expect(vector[.urlFromDomainShare] == 1)
    }

    @Test func impersonationOfAProtectedPersonAndArchives() {
        let vector = extract(Samples.invoiceWithArchive, settings: settings)
        #expect(vector[.displayNameProtected] == 1)
        #expect(vector[.fromFreemail] == 1)
        #expect(vector[.phrasePayment] >= 2)
        #expect(vector[.phraseInvoice] >= 1)
        #expect(vector[.attachmentCount] == 1)
        #expect(vector[.archiveWithExecutable] == 1)
        #expect(vector[.undisclosedRecipients] == 0)
        // Archive contents need the whole attachment: the inline pass leaves them out.
        let inline = extract(Samples.invoiceWithArchive, settings: settings, pass: .inline(byteBudget: 1 << 20))
        #expect(inline[.archiveWithExecutable] == 0)
        #expect(inline[.attachmentCount] == 1)
    }

    @Test func theInlinePassStopsAtItsBudgetAndSaysSo() {
        let long = Samples.colleague + "\n" + String(repeating: "filler text ", count: 2_000) + "\nverify your account"
        let cut = extract(long, pass: .inline(byteBudget: 4_096))
        #expect(cut[.bodyCut] == 1)
        #expect(cut[.phraseCredentials] == 0)
        let full = extract(long, pass: .full)
        #expect(full[.bodyCut] == 0)
        #expect(full[.phraseCredentials] == 1)
    }

    @Test(arguments: Samples.all.indices, [1, 7, 65_535])
    func chunkingNeverChangesTheVector(sample: Int, chunkSize: Int) {
        let whole = extract(Samples.all[sample], settings: settings)
        let chunked = extract(Samples.all[sample], settings: settings, chunkSize: chunkSize)
        #expect(chunked == whole)
    }
}

@Suite struct AttachmentFeatureTests {
    @Test func aProgramDeclaredAsAPDFIsAMismatchAndExecutable() {
        let message = """
            From: billing@vendor.example
            To: ap@gannet.test
            Subject: statement
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            See the statement.
            --b
            Content-Type: application/pdf; name="statement.pdf"
            Content-Transfer-Encoding: base64

            TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
            --b--
            """
        for pass in [FeatureExtractor.Pass.inline(byteBudget: 1 << 20), .full] {
            let vector = extract(message, pass: pass)
            #expect(vector[.attachmentTypeMismatch] == 1)
            #expect(vector[.attachmentExecutable] == 1)
            #expect(vector[.attachmentPDF] == 1)
        }
    }

    /// "#!" scripts are shared as text on technical lists; only a name that runs them, or a
    /// document's disguise, makes them dangerous.
    @Test(arguments: [("rotate", "application/octet-stream", 0.0, 0.0), ("rotate.sh", "text/plain", 1, 0), ("scan.pdf", "application/pdf", 0, 1)])
    func aScriptIsJudgedByItsName(filename: String, contentType: String, executable: Double, mismatch: Double) {
        let message = """
            From: admin@lists.example
            To: ops@gannet.test
            Subject: the rotation script
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            Attached.
            --b
            Content-Type: \(contentType); name="\(filename)"
            Content-Transfer-Encoding: base64

            IyEvdXNyL2Jpbi9wZXJsCnByaW50ICJoZWxsbyI7Cg==
            --b--
            """
        let vector = extract(message, pass: .full)
        #expect(vector[.attachmentCount] == 1)
        #expect(vector[.attachmentExecutable] == executable)
        #expect(vector[.attachmentTypeMismatch] == mismatch)
    }
}

@Suite struct TextHTMLAgreementTests {
    static func alternative(plain: String, html: String) -> String {
        """
        From: sam@example.org
        To: dev@gannet.test
        Subject: review
        Content-Type: multipart/alternative; boundary=b

        --b
        Content-Type: text/plain

        \(plain)
        --b
        Content-Type: text/html

        <html><body>\(html)</body></html>
        --b--
        """
    }

    /// A plain part that spells out the link its HTML twin puts behind anchor text agrees.
    @Test func aPlainPartThatSpellsOutTheLinksAgrees() {
        let message = Self.alternative(plain: "Please review the change https://git.example.org/parser/pull/42 before Friday.",
                                       html: "<p>Please review the <a href=\"https://git.example.org/parser/pull/42\">change</a> before Friday.</p>")
        #expect(extract(message, pass: .full)[.textHTMLAgreement] == 1)
    }

    @Test func anHTMLPartThatSaysSomethingElseDisagrees() {
        let message = Self.alternative(plain: "Please review the change before Friday.",
                                       html: "<p>Your mailbox is full: confirm your password now to keep receiving mail.</p>")
        #expect(extract(message, pass: .full)[.textHTMLAgreement] < 0.3)
    }
}

@Suite struct HostileHeaderTests {
    /// Found by the fuzzer: a year large enough to overflow the calendar arithmetic trapped.
    @Test(arguments: [
        ("Tue, 1 Jul 999999999999999999 10:52:37 +0200", true), ("1 Jul -9223372036854775807 10:52:37", true),
        ("1 Jul 2025 10:52:99999999999999999999", true), ("31 Dec 9999 23:59:59 -9999", false), ("1 Jan 0 00:00:00 GMT", false),
    ])
    func absurdDatesAreInvalidNotFatal(date: String, invalid: Bool) {
        let vector = extract("From: a@example.org\nDate: \(date)\nSubject: x\n\nbody\n")
        #expect(vector[.dateInvalid] == (invalid ? 1 : 0))
    }
}
