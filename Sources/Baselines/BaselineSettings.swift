/// How baselines learn and forget.
public struct BaselineSettings: Sendable, Equatable {
    /// Seconds after which a count has halved.
    public var halfLifeSeconds: Double = 30 * 86_400
    /// Clean messages credited to one sender (and its pairs and display name) per UTC day.
    public var senderDailyCredit = 5
    /// Clean messages credited to one sender domain per UTC day, over all its senders (each
    /// of which counts only within its own credit).
    public var domainDailyCredit = 50
    /// Registrable domains that are ours: their senders are not external, and only their
    /// recipients get recipient-level statistics. Empty: every sender is external and every
    /// recipient is ours.
    public var internalDomains: Set<String> = []
    /// Recipients of one message looked at, inline and when learning.
    public var recipientsPerMessage = 16
    /// Addresses remembered per display name.
    public var addressesPerDisplayName = 8

    public init() {}
}
