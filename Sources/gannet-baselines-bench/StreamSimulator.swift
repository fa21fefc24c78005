import Baselines

/// A tenant's mail over months with a communication graph — colleagues, each user's external
/// contacts (who mostly answer mail the user sent first), newsletters, and cold but genuine
/// first contacts — into which impersonation and payment-fraud attacks are injected from day
/// 60: the chief executive's name from free-mail addresses, a vendor contact's name from a
/// lookalike of the vendor's domain, and payment requests from fresh domains.
struct StreamSimulator {
    enum Kind: String, CaseIterable {
        case internalMail = "internal", contact, newsletter, coldContact = "cold first contact"
        case executiveImpersonation = "executive impersonation", lookalikeVendor = "lookalike vendor", freshDomainFraud = "fresh-domain payment fraud"

        var isAttack: Bool {
            switch self {
            case .executiveImpersonation, .lookalikeVendor, .freshDomainFraud: true
            default: false
            }
        }
    }

    struct Event {
        let kind: Kind
        let message: BaselineQuery
        /// Outgoing mail from a user (learned, never scored).
        let outgoing: Bool
    }

    static let domain = "corp.example"
    let days: Int
    let users = 200
    let executive = "Dana Whitfield"

    private struct Contact {
        let address: String
        let name: String
        let user: Int
    }

    func events(random: inout SplitMix64) -> [Event] {
        func user(_ index: Int) -> String { "user\(index)@\(Self.domain)" }
        func chance(_ p: Double) -> Bool { Double(random.next() % 1_000_000) / 1_000_000 < p }
        // Each user has four to twelve external contacts across 150 vendor domains.
        var contacts: [Contact] = []
        for index in 0..<users {
            for _ in 0..<(4 + Int(random.next() % 9)) {
                let vendor = Int(random.next() % 150)
                let person = Int(random.next() % 6)
                contacts.append(Contact(address: "person\(person)@vendor\(vendor).example", name: "Vendor\(vendor) Person\(person)", user: index))
            }
        }
        let financeUsers = Array(0..<10)
        var events: [Event] = []
        let start = SyntheticTenant.start
        for day in 0..<days {
            let dayStart = start + Int64(day) * 86_400
            func at() -> Int64 { dayStart + 8 * 3600 + Int64(random.next() % (10 * 3600)) }
            // The executive writes to a few users a day; colleagues write each other.
            for _ in 0..<6 {
                events.append(Event(kind: .internalMail, message: BaselineQuery(envelopeSender: user(0), fromAddress: user(0), fromDisplayName: executive, recipients: [user(1 + Int(random.next() % UInt64(users - 1)))], at: at()), outgoing: false))
            }
            for _ in 0..<150 {
                let from = Int(random.next() % UInt64(users))
                events.append(Event(kind: .internalMail, message: BaselineQuery(envelopeSender: user(from), fromAddress: user(from), fromDisplayName: "User \(from)", recipients: [user(Int(random.next() % UInt64(users)))], at: at()), outgoing: false))
            }
            // Conversations with contacts: the user writes, the contact often answers.
            for contact in contacts where chance(0.08) {
                let time = at()
                events.append(Event(kind: .contact, message: BaselineQuery(envelopeSender: user(contact.user), fromAddress: user(contact.user), fromDisplayName: "User \(contact.user)", recipients: [contact.address], at: time), outgoing: true))
                if chance(0.7) {
                    events.append(Event(kind: .contact, message: BaselineQuery(envelopeSender: contact.address, fromAddress: contact.address, fromDisplayName: contact.name, recipients: [user(contact.user)], at: time + 1800), outgoing: false))
                }
            }
            // Thirty newsletters, weekly, to a fixed set of subscribers each.
            for letter in 0..<30 where (day + letter) % 7 == 0 {
                let recipients = (0..<40).map { user(($0 * 5 + letter) % users) }
                events.append(Event(kind: .newsletter, message: BaselineQuery(envelopeSender: "bounce@news\(letter).example", fromAddress: "news@news\(letter).example", fromDisplayName: "News \(letter)", recipients: recipients, at: at()), outgoing: false))
            }
            // Genuine strangers: enquiries, new suppliers, recruiters.
            for _ in 0..<8 {
                let stranger = random.next() % 1_000_000
                events.append(Event(kind: .coldContact, message: BaselineQuery(envelopeSender: "hello\(stranger)@newcomer\(stranger).example", fromAddress: "hello\(stranger)@newcomer\(stranger).example", fromDisplayName: "Newcomer \(stranger)", recipients: [user(Int(random.next() % UInt64(users)))], at: at()), outgoing: false))
            }
            guard day >= 60 else { continue }
            // Attacks, a few a day.
            if chance(0.5) {
                let address = "dana.whitfield.\(random.next() % 10_000)@freemail.example"
                events.append(Event(kind: .executiveImpersonation, message: BaselineQuery(envelopeSender: address, fromAddress: address, fromDisplayName: executive, recipients: [user(financeUsers[Int(random.next() % 10)])], at: at()), outgoing: false))
            }
            if chance(0.5), let target = contacts.randomElement(using: &random) {
                let lookalike = target.address.replacingOccurrences(of: "vendor", with: "vendorr")
                events.append(Event(kind: .lookalikeVendor, message: BaselineQuery(envelopeSender: lookalike, fromAddress: lookalike, fromDisplayName: target.name, recipients: [user(target.user)], at: at()), outgoing: false))
            }
            if chance(0.5) {
                let fraud = "accounts@invoice-\(random.next() % 100_000).example"
                events.append(Event(kind: .freshDomainFraud, message: BaselineQuery(envelopeSender: fraud, fromAddress: fraud, fromDisplayName: "Accounts Receivable", recipients: [user(financeUsers[Int(random.next() % 10)])], at: at()), outgoing: false))
            }
        }
        return events.sorted { $0.message.at < $1.message.at }
    }
}

extension SplitMix64: RandomNumberGenerator {}
