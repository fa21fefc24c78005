import Features

/// Reads records for a lookup or a lesson; a store's map, or a cache in front of Redis.
public protocol BaselineRecordSource {
    func record(_ key: BaselineKey) -> BaselineRecord?
}

/// The statistics themselves: signals from records, and the records a final verdict changes.
/// Pure: no clock, no I/O; every store runs exactly this, so they give identical signals.
public struct BaselineModel: Sendable {
    public let settings: BaselineSettings

    public init(settings: BaselineSettings = BaselineSettings()) {
        self.settings = settings
    }

    /// The message's parties, normalized.
    struct Parties {
        let sender: String
        let domain: String
        let displayName: String
        let recipients: [String]
    }

    func parties(of message: BaselineQuery) -> Parties {
        let from = BaselineNames.address(message.fromAddress)
        let sender = from.isEmpty ? BaselineNames.address(message.envelopeSender) : from
        var recipients: [String] = []
        for text in message.recipients where recipients.count < settings.recipientsPerMessage {
            let recipient = BaselineNames.address(text)
            if !recipient.isEmpty, !recipients.contains(recipient) { recipients.append(recipient) }
        }
        return Parties(
            sender: sender,
            domain: BaselineNames.domain(ofAddress: sender),
            displayName: BaselineNames.displayName(message.fromDisplayName),
            recipients: recipients
        )
    }

    func isExternal(domain: String) -> Bool {
        !settings.internalDomains.contains(domain)
    }

    func isOurs(recipient: String) -> Bool {
        settings.internalDomains.isEmpty || settings.internalDomains.contains(BaselineNames.domain(ofAddress: recipient))
    }
}

extension BaselineRecordSource {
    func activity(_ key: BaselineKey) -> ActivityRecord? {
        if case .activity(let record)? = record(key) { return record }
        return nil
    }

    func pair(_ key: BaselineKey) -> PairRecord? {
        if case .pair(let record)? = record(key) { return record }
        return nil
    }

    func recipient(_ key: BaselineKey) -> RecipientRecord? {
        if case .recipient(let record)? = record(key) { return record }
        return nil
    }

    func displayName(_ key: BaselineKey) -> DisplayNameRecord? {
        if case .displayName(let record)? = record(key) { return record }
        return nil
    }
}

extension Dictionary: BaselineRecordSource where Key == BaselineKey, Value == BaselineRecord {
    public func record(_ key: BaselineKey) -> BaselineRecord? { self[key] }
}
