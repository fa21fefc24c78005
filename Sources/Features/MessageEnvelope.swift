/// What the SMTP transaction says about a message before its content.
public struct MessageEnvelope: Sendable, Equatable {
    /// MAIL FROM address, "" for the null sender.
    public var sender: String
    public var recipients: [String]
    /// When the message arrived, seconds since 1970 (judges Date headers from the future).
    public var receivedAt: Int64

    public init(sender: String = "", recipients: [String] = [], receivedAt: Int64 = 0) {
        self.sender = sender
        self.recipients = recipients
        self.receivedAt = receivedAt
    }
}
