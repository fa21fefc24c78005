@testable import Features
import Testing

@Suite struct DomainNamesTests {
    let detector = LookalikeDetector(protected: ["paypal.com", "microsoft.com", "gannet.test"], legitimate: [])

    @Test(arguments: [
        ("mail.example.com", "example.com"), ("a.b.example.co.uk", "example.co.uk"), ("example.com.", "example.com"),
        ("EXAMPLE.ORG", "example.org"), ("localhost", "localhost"), ("198.51.100.7", "198.51.100.7"),
    ])
    func registrableDomains(host: String, expected: String) {
        #expect(DomainNames.registrableDomain(host) == expected)
    }

    @Test(arguments: ["paypa1.com", "xn--pypal-4ve.com", "paypal-secure.com", "paypal.com.evil.net", "login.PAYPAL..com.evil.net", "micros0ft.com", "rnicrosoft.com", "gannet-test.com"])
    func lookalikesAreCaught(host: String) {
        #expect(detector.isLookalike(host))
    }

    @Test(arguments: ["paypal.com", "www.paypal.com", "example.org", "pay.com", "gannet.test", "mail.gannet.test"])
    func realDomainsAreNotLookalikes(host: String) {
        #expect(!detector.isLookalike(host))
    }

    @Test func punycodeDecodes() {
        #expect(Punycode.toUnicode("xn--mnchen-3ya.de") == "münchen.de")
        #expect(Punycode.toUnicode("xn--pypal-4ve.com") == "p\u{0430}ypal.com")
        #expect(Punycode.toUnicode("xn--zz-broken-\u{7F}.com") == "xn--zz-broken-\u{7F}.com")
    }

    @Test(arguments: [("https://user@bank.com@evil.example:8443/login?x=1", "evil.example", true, 8443),
                      ("www.example.org/path", "example.org", false, -1), ("http://[2001:db8::1]/", "[2001:db8::1]", false, -1)])
    func urlsAreTakenApart(raw: String, registrable: String, userInfo: Bool, port: Int) {
        let url = InspectedURL(parsing: raw)
        #expect(url.registrableDomain == registrable)
        #expect(url.hasUserInfo == userInfo)
        #expect((url.port ?? -1) == port)
    }

    /// ASCII takes byte paths; these pin them to what splitting and mapping by characters gives.
    @Test func asciiPathsMatchCharacterRules() {
        #expect(DomainNames.skeleton("PayPa1.COM") == "paypal.com")
        #expect(DomainNames.skeleton("RNicr0soft|$@") == "mlcrosoftlsa")
        #expect(DomainNames.skeleton("p\u{0430}ypal") == "paypal")
        #expect(DomainNames.firstLabel("..mail.example") == "mail")
        #expect(DomainNames.firstLabel("example") == "example")
        #expect(DomainNames.firstLabel("...") == "")
        for (host, isIP) in [("198.51.100.7", true), ("0x7f.1.2.3", true), ("1.2.3.4a", true), ("1.2.3", false), ("1..2.3", false),
                             ("1.2.3.4.", false), (".1.2.3", false), ("1.2.3.g", false), ("a.2.3.4", false), ("1.2.3.4.5", false)] {
            #expect(DomainNames.isIPAddress(host) == isIP, "\(host)")
        }
    }
}
