import Detection
import Features
import FilterCore
import MailParsing

/// Day-one baselines from a site's own mail (the sent and received folders of its users, as
/// Dovecot keeps them): every message a lesson of who writes to whom, at the time its Date
/// says, taught oldest first, so no lesson knows of mail that came after it. A message from an
/// internal domain is the site's own outgoing mail, which is what makes a reply a reply.
public struct MailboxImport: Sendable {
    /// Registrable internal domains (`FeatureSettings.internalRegistrable`).
    public let internalDomains: Set<String>

    public init(internalDomains: Set<String>) {
        self.internalDomains = internalDomains
    }

    public struct Summary: Sendable, Equatable {
        public var read = 0
        public var withoutDate = 0
        public var withoutSender = 0
        /// The same Message-ID seen before (a message in both a sent and a received folder).
        public var duplicates = 0
        public var outgoing = 0
        public var inbound = 0
        public var senders: Set<String> = []
        public var senderDomains: Set<String> = []
        public var first: Int64?
        public var last: Int64?

        public var lessons: Int { outgoing + inbound }
    }

    /// The lessons in `messages`, oldest first, and what was read.
    public func lessons(_ messages: some Sequence<[UInt8]>) -> (lessons: [BaselineObservation], summary: Summary) {
        var summary = Summary()
        var seen: Set<String> = []
        var dated: [(at: Int64, order: Int, observation: BaselineObservation)] = []
        for bytes in messages {
            summary.read += 1
            let message = RawMessage(bytes: bytes)
            guard let from = message.firstValue(of: "From").flatMap({ AddressList.parse($0).first }), let sender = MailAddress(parsing: from.address) else {
                summary.withoutSender += 1
                continue
            }
            guard let at = message.firstValue(of: "Date").flatMap(MailDate.epochSeconds) else {
                summary.withoutDate += 1
                continue
            }
            if let id = message.firstValue(of: "Message-ID")?.trimmingCharacters(in: .whitespaces), !id.isEmpty, !seen.insert(id).inserted {
                summary.duplicates += 1
                continue
            }
            let recipients = ["To", "Cc"].flatMap { name in message.headers.filter { $0.name.caseInsensitiveEquals(name) } }
                .flatMap { AddressList.parse($0.value) }.compactMap { MailAddress(parsing: $0.address) }
            let evidence = MessageEvidence(envelopeSender: sender, recipients: recipients, headerFrom: sender)
            let outgoing = internalDomains.contains(DomainNames.registrableDomain(sender.domain))
            if outgoing { summary.outgoing += 1 } else { summary.inbound += 1 }
            summary.senders.insert(sender.description)
            summary.senderDomains.insert(DomainNames.registrableDomain(sender.domain))
            summary.first = min(summary.first ?? at, at)
            summary.last = max(summary.last ?? at, at)
            let parties = BaselineQuery(evidence: evidence, from: from, at: at)
            dated.append((at, dated.count, BaselineObservation(message: parties, outcome: .clean)))
        }
        // Oldest first; messages of one second keep the order they were read in.
        let lessons = dated.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.observation)
        return (lessons, summary)
    }
}
