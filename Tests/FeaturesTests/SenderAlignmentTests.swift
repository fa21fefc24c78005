import Features
import Testing

/// The features that describe bulk mail and how its sending identities hang together.
@Suite struct SenderAlignmentTests {
    /// A shop's newsletter sent through an email service provider: bounce and click tracking at
    /// the provider, DKIM and links at the shop, one-click unsubscription.
    static let newsletter = """
        From: "Katjes Online-Shop" <shop@katjes.de>
        Return-Path: <bounce-77@send.klaviyomail.com>
        DKIM-Signature: v=1; a=rsa-sha256; d=katjes.de; s=k1; b=abc
        To: reader@example.org
        Subject: Neue Sorten
        List-Unsubscribe: <https://manage.kmail-lists.com/unsub?x=1>, <mailto:unsub@klaviyomail.com>
        List-Unsubscribe-Post: List-Unsubscribe=One-Click
        MIME-Version: 1.0
        Content-Type: text/html; charset=utf-8

        <p>Neu im Shop: <a href="https://trk.klclick.com/c/1">www.katjes.de</a>, <a href="https://www.katjes.de/neu">mehr</a>.</p>
        <p><a href="https://manage.kmail-lists.com/unsub?x=1">Newsletter abbestellen</a></p>
        """

    @Test func aNewsletterThroughAProviderIsAligned() {
        let vector = extract(Self.newsletter, envelope: MessageEnvelope(sender: "bounce-77@send.klaviyomail.com"))
        #expect(vector[.listUnsubscribeOneClick] == 1)
        #expect(vector[.senderESP] == 1)
        #expect(vector[.dkimAligned] == 1)
        #expect(vector[.bounceAligned] == 0)
        #expect(vector[.unsubscribeAligned] == 1)
        #expect(vector[.urlSenderAlignedShare] == 1)
        #expect(vector[.urlUnsubscribe] == 1)
        #expect(vector[.phraseUnsubscribe] == 1)
        #expect(vector[.displayNameNamesSender] == 1)
        // The shop's own name over its provider's tracking link deceives nobody.
        #expect(vector[.urlAnchorMismatch] == 0)
    }

    @Test func aPhishShowingABankOverItsOwnLinkIsNotAligned() {
        let vector = extract("""
            From: "Account Team" <notice@mailer-update.example>
            To: reader@example.org
            Subject: Action
            List-Unsubscribe: <https://unsubscribe.elsewhere.example/u>
            MIME-Version: 1.0
            Content-Type: text/html

            <a href="https://collect.badhost.example/login">www.bankofamerica.com</a>
            """, envelope: MessageEnvelope(sender: "x@mailer-update.example"))
        #expect(vector[.urlAnchorMismatch] == 1)
        #expect(vector[.unsubscribeAligned] == 0)
        #expect(vector[.urlSenderAlignedShare] == 0)
        #expect(vector[.bounceAligned] == 1)
        #expect(vector[.senderESP] == 0)
        #expect(vector[.displayNameNamesSender] == 0)
        #expect(vector[.listUnsubscribeOneClick] == 0)
    }

    @Test func aNoteWithoutLinksHasNothingToMisalign() {
        let vector = extract("From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: lunch\n\nSee you at noon.\n")
        #expect(vector[.urlSenderAlignedShare] == 1)
        #expect(vector[.urlUnsubscribe] == 0)
    }

    @Test func anEncodedListUnsubscribeIsRead() {
        let vector = extract("""
            From: Oekoligenta <langer@oekoligenta.de>
            To: reader@example.org
            Subject: x
            List-Unsubscribe: =?us-ascii?Q?<https://oekoligenta.fairmailing.net/lists/=3Fp=3Dunsub>?=
            List-Unsubscribe-Post: List-Unsubscribe=One-Click

            Abmelden: https://oekoligenta.fairmailing.net/lists/?p=unsub
            """, envelope: MessageEnvelope(sender: "listbounces@fairmailing.net"))
        #expect(vector[.listUnsubscribeOneClick] == 1)
        #expect(vector[.unsubscribeAligned] == 1)
        #expect(vector[.urlSenderAlignedShare] == 1)
        #expect(vector[.urlUnsubscribe] == 1)
    }

    @Test(arguments: [
        ("REWE Newsletter", "newsletter@mailing.rewe.de", true),
        ("Schöpflin Stiftung", "kommunikation@schoepflin-stiftung.de", true),
        ("VfL Bochum 1848", "newsletter@vfl-bochum.de", true),
        ("WWF", "info@wwf.de", true),
        ("Ralf Senftleben", "ralf.senftleben@zeitzuleben.de", true),
        ("Your Secret Admirer", "info@mail.bebopstation.example", false),
        ("The Best Casino Deals", "info@dodatni-prihodki.example", false),
        ("Support Team", "support@random-host.example", false),
        ("", "shop@katjes.de", false),
    ])
    func brandingNamesTheSender(_ name: String, _ address: String, _ expected: Bool) {
        let vector = extract("From: \(name.isEmpty ? "" : "\"\(name)\" ")<\(address)>\nTo: a@example.org\nSubject: s\n\nHello\n")
        #expect((vector[.displayNameNamesSender] == 1) == expected, "\(name) <\(address)>")
    }
}
