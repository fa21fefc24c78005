/// What the inline decision looks at. Grows with the feature extractor; today it carries
/// the envelope and the author address, which the business lists need.
public struct MessageEvidence: Sendable, Equatable {
    /// MAIL FROM address; nil for the null sender.
    public var envelopeSender: MailAddress?
    /// RCPT TO addresses in the order given.
    public var recipients: [MailAddress]
    /// The address in the first From header, if it parsed.
    public var headerFrom: MailAddress?

    public init(envelopeSender: MailAddress? = nil, recipients: [MailAddress] = [], headerFrom: MailAddress? = nil) {
        self.envelopeSender = envelopeSender
        self.recipients = recipients
        self.headerFrom = headerFrom
    }
}
