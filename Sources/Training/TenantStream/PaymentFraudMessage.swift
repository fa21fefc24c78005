import Foundation

/// A generated attack that carries no link and no attachment: a short plain-text request to
/// move money (a wire transfer, gift cards, changed bank details, an overdue invoice), with
/// headers that agree with the parties. Only the text and the behaviour can give it away.
struct PaymentFraudMessage {
    let kind: TenantEvent.Kind
    let from: TenantGraph.Person
    let to: TenantGraph.Person
    let at: Int64

    private struct Template {
        let subject: String
        let body: String
    }

    /// Bodies name `{amount}`, `{first}` (the recipient's first name), `{sender}` and
    /// `{reference}`.
    private static let executiveTemplates = [
        Template(subject: "Quick favour", body: "Hi {first},\n\nAre you at your desk? I need you to handle a confidential payment for me today. It is time sensitive and I am in meetings all afternoon, so email only please.\n\nI will send the beneficiary details as soon as you confirm.\n\n{sender}\nSent from my phone"),
        Template(subject: "Gift cards for the client visit", body: "{first},\n\nI need you to pick up 6 gift cards of $200 each for a client appreciation this afternoon. Scratch the backs and send me photos of the codes. I will reimburse you tonight.\n\nKeep this between us for now.\n\n{sender}"),
        Template(subject: "Urgent wire today", body: "Hello {first},\n\nWe are closing an acquisition and I need a wire of {amount} sent before the cut-off today. Our lawyers will confirm the account. Please do not discuss it with anyone else until it is announced.\n\nReply when you can process it.\n\n{sender}"),
        Template(subject: "Are you available?", body: "{first}, I need a quick task done. Can you process a vendor payment of {amount} right away? I cannot take calls at the moment. Let me know and I will forward the bank details.\n\nThanks,\n{sender}"),
    ]

    private static let vendorTemplates = [
        Template(subject: "Updated bank details for invoice {reference}", body: "Dear {first},\n\nPlease note that our bank account has changed following an audit. Kindly make the payment of invoice {reference} ({amount}) to our new account; the details are below. Payments to the old account will be returned.\n\nBank: First Continental\nAccount name: {sender}\nSort code: 40-22-17\nAccount: 7310 2284\n\nKind regards,\n{sender}"),
        Template(subject: "RE: invoice {reference}", body: "Hi {first},\n\nFollowing up on invoice {reference}. Our remittance details were updated this month, so please confirm you have changed them on your side before the next payment run. Can you let me know when {amount} will be released?\n\nBest,\n{sender}"),
        Template(subject: "Change of remittance account", body: "Hello {first},\n\nOur finance team has moved to a new bank. From today, please send all payments, including the open balance of {amount}, to the account we will confirm by return email. Reply with a good time and I will send the details.\n\nRegards,\n{sender}"),
    ]

    private static let freshDomainTemplates = [
        Template(subject: "Overdue invoice {reference}", body: "Dear {first},\n\nOur records show invoice {reference} for {amount} is now 30 days overdue. Please arrange payment by bank transfer today to avoid a late fee and suspension of services. Reply to this email for our account details.\n\nAccounts Receivable\n{sender}"),
        Template(subject: "Payment request {reference}", body: "Hello,\n\nPlease process the payment of {amount} for services rendered under order {reference}. Wire instructions will follow on confirmation. This needs to be settled by end of day.\n\nThank you,\n{sender}"),
        Template(subject: "Final notice: {reference}", body: "Dear customer,\n\nThis is a final notice regarding the outstanding balance of {amount} on account {reference}. To avoid collection proceedings, please transfer the amount within 24 hours. Contact us by reply for the beneficiary details.\n\n{sender}\nCollections Department"),
    ]

    private var templates: [Template] {
        switch kind {
        case .executiveImpersonation: Self.executiveTemplates
        case .lookalikeVendor: Self.vendorTemplates
        default: Self.freshDomainTemplates
        }
    }

    /// RFC 5322 with CRLF line ends.
    func bytes(random: inout SplitMix64) -> [UInt8] {
        let template = templates[random.below(templates.count)]
        let amount = "$\(12 + random.below(80)),\(100 + random.below(900)).00"
        let reference = "INV-\(10_000 + random.below(90_000))"
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{amount}", with: amount)
                .replacingOccurrences(of: "{first}", with: String(to.name.split(separator: " ")[0]))
                .replacingOccurrences(of: "{sender}", with: from.name)
                .replacingOccurrences(of: "{reference}", with: reference)
        }
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let headers = [
            "Return-Path: <\(from.address)>",
            "From: \"\(from.name)\" <\(from.address)>",
            "To: \"\(to.name)\" <\(to.address)>",
            "Subject: \(fill(template.subject))",
            "Date: \(Self.date(at))",
            "Message-ID: <\(random.next() % 1_000_000_000_000).\(at)@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        let body = fill(template.body).replacingOccurrences(of: "\n", with: "\r\n")
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n").utf8)
    }

    /// RFC 5322 date in UTC.
    static func date(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
