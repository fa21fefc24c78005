import Baselines
import Features

/// Draws a tenant stream's events, one party pattern at a time, from one seeded generator.
struct TenantStreamBuilder {
    var random: SplitMix64
    let graph: TenantGraph
    private(set) var events: [TenantEvent] = []
    private(set) var injected: [[UInt8]] = []
    /// Spam senders that come back; their history is flagged only.
    private let spamSenders: [TenantGraph.Person]
    private var fresh = 0

    static let freemailDomains = ["gmail.com", "outlook.com", "yahoo.com", "proton.me"]

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        graph = TenantGraph(random: &random)
        spamSenders = (0..<30).map { TenantGraph.Person(address: "offers@deals-\($0).example", name: "Deals \($0)") }
    }

    /// A time on `day` within working hours.
    mutating func workingHours(_ day: Int) -> Int64 {
        TenantStream.start + Int64(day) * 86_400 + 8 * 3600 + Int64(random.below(10 * 3600))
    }

    /// A new number for a sender or domain nobody has seen.
    mutating func freshNumber() -> Int {
        fresh += 1
        return fresh
    }

    private mutating func add(_ kind: TenantEvent.Kind, from person: TenantGraph.Person, envelope: String? = nil, to recipients: [Int],
                              at time: Int64, content: TenantEvent.Content = .none, outcome: BaselineObservation.Outcome = .clean) {
        let query = BaselineQuery(envelopeSender: envelope ?? person.address, fromAddress: person.address, fromDisplayName: person.name,
                                  recipients: recipients.map { graph.users[$0].address }, at: time)
        events.append(TenantEvent(kind: kind, message: query, content: content, outcome: outcome))
    }

    /// A user writes to a contact (outgoing mail passes the milter too).
    private mutating func addOutgoing(to contact: TenantGraph.Contact, at time: Int64) {
        let user = graph.users[contact.user]
        let query = BaselineQuery(envelopeSender: user.address, fromAddress: user.address, fromDisplayName: user.name,
                                  recipients: [contact.person.address], at: time)
        events.append(TenantEvent(kind: .outgoing, message: query, content: .none, outcome: .clean))
    }

    /// A colleague's note: the executive writes some of them.
    private mutating func addColleagueMail(at time: Int64, content: TenantEvent.Content = .none) {
        let sender = random.chance(0.1) ? 0 : random.below(graph.users.count)
        var recipient = random.below(graph.users.count)
        if recipient == sender { recipient = (recipient + 1) % graph.users.count }
        add(.colleague, from: graph.users[sender], to: [recipient], at: time, content: content)
    }

    /// A contact's answer to mail the user usually sent first.
    private mutating func addContactMail(_ contact: TenantGraph.Contact, at time: Int64, content: TenantEvent.Content = .none) {
        if random.chance(0.8) { addOutgoing(to: contact, at: max(TenantStream.start, time - 3600 - Int64(random.below(47 * 3600)))) }
        add(.contact, from: contact.person, to: [contact.user], at: time, content: content)
    }

    private mutating func stranger() -> TenantGraph.Person {
        let number = freshNumber()
        let name = TenantGraph.name(random.below(400), lastNames: TenantGraph.outsideLastNames)
        return TenantGraph.Person(address: "\(TenantGraph.localPart(name))@newcomer-\(number).example", name: name)
    }

    private mutating func someContact() -> TenantGraph.Contact {
        graph.contacts[random.below(graph.contacts.count)]
    }

    private mutating func freemailAddress(for name: String) -> String {
        "\(TenantGraph.localPart(name)).\(random.below(10_000))@\(Self.freemailDomains[random.below(Self.freemailDomains.count)])"
    }

    /// A domain one edit away from a vendor's.
    private mutating func lookalike(ofVendor vendor: Int) -> String {
        switch random.below(3) {
        case 0: "vendorr\(vendor).example"
        case 1: "vend0r\(vendor).example"
        default: "vendor\(vendor)-payments.example"
        }
    }

    /// One day of mail that carries no corpus message.
    mutating func addBackground(day: Int) {
        for _ in 0..<120 { addColleagueMail(at: workingHours(day)) }
        for contact in graph.contacts where random.chance(0.06) { addContactMail(contact, at: workingHours(day)) }
        for letter in graph.newsletters.indices where (day + letter) % 7 == 0 {
            let newsletter = graph.newsletters[letter]
            add(.newsletter, from: newsletter.from, envelope: newsletter.envelopeSender, to: newsletter.subscribers, at: workingHours(day))
        }
        for _ in 0..<4 { add(.coldContact, from: stranger(), to: [random.below(graph.users.count)], at: workingHours(day)) }
    }

    mutating func addCorpusMessage(_ index: Int, label: String, day: Int, settings: TenantStream.Settings) {
        let time = workingHours(day), content = TenantEvent.Content.corpus(index)
        let draw = Double(random.below(1_000_000)) / 1_000_000
        let user = random.below(graph.users.count)
        switch label {
        case "ham":
            if draw < settings.hamColdContactShare {
                add(.coldContact, from: stranger(), to: [user], at: time, content: content)
            } else if draw < settings.hamColdContactShare + settings.hamKnownNameNewAddressShare {
                let contact = someContact()
                let personal = TenantGraph.Person(address: freemailAddress(for: contact.person.name), name: contact.person.name)
                add(.knownNameNewAddress, from: personal, to: [contact.user], at: time, content: content)
            } else {
                // The rest: contacts 45%, colleagues 35%, newsletters 20%.
                let known = random.below(100)
                if known < 45 {
                    addContactMail(someContact(), at: time, content: content)
                } else if known < 80 {
                    addColleagueMail(at: time, content: content)
                } else {
                    let newsletter = graph.newsletters[random.below(graph.newsletters.count)]
                    add(.newsletter, from: newsletter.from, envelope: newsletter.envelopeSender,
                        to: [newsletter.subscribers[random.below(newsletter.subscribers.count)]], at: time, content: content)
                }
            }
        case "spam":
            if draw < settings.spamRepeatSenderShare {
                add(.spamRepeatSender, from: spamSenders[random.below(spamSenders.count)], to: [user], at: time, content: content, outcome: .flagged)
            } else {
                let number = freshNumber()
                add(.spamFirstContact, from: TenantGraph.Person(address: "promo\(number)@offers-\(number).example", name: "Special Offers"),
                    to: [user], at: time, content: content, outcome: .flagged)
            }
        default:
            addPhish(content: content, draw: draw, at: time, settings: settings)
        }
    }

    private mutating func addPhish(content: TenantEvent.Content, draw: Double, at time: Int64, settings: TenantStream.Settings) {
        let contact = someContact()
        if draw < settings.phishDisplayNameShare {
            // A name the recipient knows: the executive, a colleague's, or one of their contacts'.
            let known = random.chance(0.3) ? graph.users[random.chance(0.5) ? 0 : random.below(graph.users.count)] : contact.person
            let forged = TenantGraph.Person(address: freemailAddress(for: known.name), name: known.name)
            add(.phishDisplayName, from: forged, to: [contact.user], at: time, content: content, outcome: .flagged)
        } else if draw < settings.phishDisplayNameShare + settings.phishCompromisedShare {
            add(.phishCompromisedAccount, from: contact.person, to: [contact.user], at: time, content: content, outcome: .flagged)
        } else if draw < settings.phishDisplayNameShare + settings.phishCompromisedShare + settings.phishLookalikeDomainShare {
            let sender = TenantGraph.Person(address: "accounts@\(lookalike(ofVendor: contact.vendor))", name: "Accounts Payable")
            add(.phishLookalikeDomain, from: sender, to: [contact.user], at: time, content: content, outcome: .flagged)
        } else {
            let number = freshNumber()
            let sender = TenantGraph.Person(address: "no-reply@account-security-\(number).example", name: "IT Service Desk")
            add(.phishFirstContact, from: sender, to: [random.below(graph.users.count)], at: time, content: content, outcome: .flagged)
        }
    }

    /// One generated attack without links or attachments, aimed at a finance user or at a
    /// contact's correspondent.
    mutating func addInjectedAttack(_ kind: TenantEvent.Kind, day: Int) {
        let time = workingHours(day)
        let sender: TenantGraph.Person, recipient: Int
        switch kind {
        case .executiveImpersonation:
            sender = TenantGraph.Person(address: freemailAddress(for: graph.executive.name), name: graph.executive.name)
            recipient = graph.financeUsers[random.below(graph.financeUsers.count)]
        case .lookalikeVendor:
            let contact = someContact()
            let local = contact.person.address.split(separator: "@")[0]
            sender = TenantGraph.Person(address: "\(local)@\(lookalike(ofVendor: contact.vendor))", name: contact.person.name)
            recipient = contact.user
        default:
            let number = freshNumber()
            sender = TenantGraph.Person(address: "accounts@invoice-\(number).example", name: "Accounts Receivable")
            recipient = graph.financeUsers[random.below(graph.financeUsers.count)]
        }
        let message = PaymentFraudMessage(kind: kind, from: sender, to: graph.users[recipient], at: time)
        add(kind, from: sender, to: [recipient], at: time, content: .injected(injected.count), outcome: .flagged)
        injected.append(message.bytes(random: &random))
    }
}
