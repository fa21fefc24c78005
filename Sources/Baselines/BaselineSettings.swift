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
    /// A record is forgotten (see `BaselineRecord.isStale`) once every count in it has decayed
    /// below this and nothing has added to it for `forgetAfterSeconds`.
    public var forgetBelowCount = 0.01
    /// Seconds of silence after which a record may be forgotten, and the TTL of records in
    /// Redis by default: 200 days, about 6.6 half-lives, when a single message has decayed to
    /// `forgetBelowCount`. Forgetting a sender's record forgets when it was first seen too, so
    /// a sender silent that long is unknown again; that is intended.
    public var forgetAfterSeconds: Int64 = 200 * 86_400

    public init() {}
}
