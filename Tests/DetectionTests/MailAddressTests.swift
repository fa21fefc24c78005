import Detection
import Testing

@Suite struct MailAddressTests {
    @Test(arguments: [
        ("user@example.com", "user@example.com"),
        ("<User@Example.COM>", "user@example.com"),
        ("\"Boss, The\" <ceo@corp.example>", "ceo@corp.example"),
        ("Name <a@b.example.>", "a@b.example"),
        ("<@relay.example:user@host.example>", "user@host.example"),
        ("  spaced@example.org  ", "spaced@example.org"),
    ])
    func parsesMailboxes(text: String, expected: String) {
        #expect(MailAddress(parsing: text)?.description == expected)
    }

    @Test(arguments: ["<>", "", "no-at-sign", "user@", "@example.com", "Name <unterminated@example.com", "a@b c"])
    func rejectsNonAddresses(text: String) {
        #expect(MailAddress(parsing: text) == nil)
    }
}
