/// Who is writing to whom, as the inline pass knows it at end of message.
public struct BaselineQuery: Sendable, Equatable, Codable {
    /// MAIL FROM, "" for the null sender.
    public var envelopeSender: String
    /// From's address, "" when there is none.
    public var fromAddress: String
    /// From's display name, "" when there is none.
    public var fromDisplayName: String
    public var recipients: [String]
    /// Seconds since 1970.
    public var at: Int64

    enum CodingKeys: String, CodingKey {
        case recipients, at
        case envelopeSender = "envelope_sender"
        case fromAddress = "from_address"
        case fromDisplayName = "from_display_name"
    }

    public init(envelopeSender: String = "", fromAddress: String = "", fromDisplayName: String = "", recipients: [String] = [], at: Int64) {
        self.envelopeSender = envelopeSender
        self.fromAddress = fromAddress
        self.fromDisplayName = fromDisplayName
        self.recipients = recipients
        self.at = at
    }
}

/// A message's final verdict, the only thing baselines learn from.
public struct BaselineObservation: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Equatable, Codable {
        /// The final full verdict found it clean: it may raise the sender's standing.
        case clean
        /// Quarantined or found malicious: it can only lower standing.
        case flagged
    }

    public var message: BaselineQuery
    public var outcome: Outcome

    public init(message: BaselineQuery, outcome: Outcome) {
        self.message = message
        self.outcome = outcome
    }
}
