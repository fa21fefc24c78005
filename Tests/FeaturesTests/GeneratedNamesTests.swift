import Foundation
@testable import Features
import Testing

@Suite struct GeneratedNamesTests {
    @Test(arguments: [
        "si2uxjjjqdmh7er1jfee.example.com", "rxv23mzjtpfejeomtasmebya.com", "cldsrknhm.xjbzjjrpubzxfl.com.br",
        "ctd5owpa.16ct5fo4ubbc.com", "quihdimdfghdrflmnder.co.uk",
    ])
    func machineMadeLabelsAreCaught(domain: String) {
        #expect(GeneratedNames.hasGeneratedLabel(domain))
    }

    /// Real sender and bounce domains of legitimate bulk mail, and technical host names.
    @Test(arguments: [
        "mail60.suw91.mcdlv.net", "em3505.numehair.com", "bounce.mail.pontolivelo.com.br", "s12.y.mc.salesforce.com",
        "macftphttp.serverbox.org", "lists.ettus.com", "amazonses.com", "mail03-userengage.com", "rhythmandblues.com",
        "p6044.example.jp", "abcdefghijklmnop", "worldwidewebfoundation.org",
    ])
    func chosenNamesAreNot(domain: String) {
        #expect(!GeneratedNames.hasGeneratedLabel(domain))
    }

    @Test func theFeatureReadsEveryAddressTheSenderGives() {
        let message = """
            From: "Coolblue" <promo@shop.example>
            Return-Path: <bounces-29@rxv23mzjtpfejeomtasmebya.com>
            To: reader@example.org
            Subject: hello

            body
            """
        #expect(extract(message)[.senderDomainGenerated] == 1)
        #expect(extract(message.replacingOccurrences(of: "rxv23mzjtpfejeomtasmebya", with: "bounce.shop"))[.senderDomainGenerated] == 0)
        let clean = message.replacingOccurrences(of: "rxv23mzjtpfejeomtasmebya", with: "shop")
        #expect(extract(clean, envelope: MessageEnvelope(sender: "x@k9a2xqyv8g04voc6.example"))[.senderDomainGenerated] == 1)
    }
}
