import MailParsing

/// What the top-level headers say, gathered as they stream by.
struct HeaderEvidence: Sendable {
    var from: [Mailbox] = []
    var sawFrom = false
    var replyTo: [Mailbox] = []
    var returnPath: Mailbox?
    var messageIDDomain: String?
    var sawMessageID = false
    var date: String?
    var receivedCount = 0
    var mailer: String?
    var subject: String?
    var subjectEncoded = false
    var hasThreadHeaders = false
    var recipients = 0
    var sawTo = false
    var undisclosed = false
    var eightBit = false
    var listUnsubscribe = false
    var bulkPrecedence = false
    /// Authentication-Results headers from trusted authserv-ids, top first; others are not
    /// even parsed, since a sender can write them.
    var authentication: [AuthenticationResults] = []
    var dkimDomains: [String] = []
    let trustedAuthservIDs: Set<String>

    init(trustedAuthservIDs: Set<String>) {
        self.trustedAuthservIDs = trustedAuthservIDs
    }

    mutating func take(_ field: HeaderField) {
        if !eightBit {
            var value = field.value
            eightBit = value.withUTF8 { bytes in bytes.contains { $0 >= 128 } }
        }
        switch field.name.lowercased() {
        case "from":
            if !sawFrom {
                sawFrom = true
                from = AddressList.parse(field.unfoldedValue)
            }
        case "reply-to": if replyTo.isEmpty { replyTo = AddressList.parse(field.unfoldedValue) }
        case "return-path": if returnPath == nil { returnPath = AddressList.parse(field.unfoldedValue).first }
        case "message-id":
            sawMessageID = true
            let value = field.unfoldedValue
            if let at = value.lastIndex(of: "@") {
                messageIDDomain = value[value.index(after: at)...].trimmingCharacters(in: "<> ").lowercased()
            }
        case "date": if date == nil { date = field.unfoldedValue }
        case "received": receivedCount += 1
        case "x-mailer", "user-agent": if mailer == nil { mailer = field.unfoldedValue.lowercased() }
        case "subject":
            if subject == nil {
                let raw = field.unfoldedValue
                subjectEncoded = raw.containsBytes("=?")
                subject = subjectEncoded ? EncodedWords.decode(raw).text : raw
            }
        case "in-reply-to", "references": hasThreadHeaders = true
        case "to", "cc":
            let list = AddressList.parse(field.unfoldedValue).filter { $0.address.contains("@") }
            recipients += list.count
            if field.isNamed("To") {
                sawTo = true
                if list.isEmpty || field.value.lowercased().containsBytes("undisclosed") { undisclosed = true }
            }
        case "list-unsubscribe": listUnsubscribe = true
        case "precedence":
            let value = field.unfoldedValue.lowercased()
            bulkPrecedence = value == "bulk" || value == "list" || value == "junk"
        case "authentication-results":
            let id = field.value.prefix { $0 != ";" }.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map { $0.lowercased() }
            if let id, trustedAuthservIDs.contains(id), let results = AuthenticationResults(field.value) { authentication.append(results) }
        case "dkim-signature":
            if let domain = Self.tag("d", in: field.value) { dkimDomains.append(domain.lowercased()) }
        default: break
        }
    }

    /// A tag's value in a `tag=value; tag=value` list.
    static func tag(_ name: String, in value: String) -> String? {
        for item in value.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: " \t\r\n") == name {
                return pair[1].trimmingCharacters(in: " \t\r\n")
            }
        }
        return nil
    }

    /// The first Authentication-Results header from a trusted authserv-id: ours is added on
    /// top, and anything below it came with the message.
    var trustedResults: AuthenticationResults? { authentication.first }
}
