/// When a record has nothing left worth keeping, so stores can drop it instead of keeping
/// every sender, pair and recipient ever seen. Pure: `now` is the caller's.
extension BaselineRecord {
    /// True when every count has faded (see `DecayedCount.hasFaded`) or, for a display name,
    /// when no address has used it for `forgetAfterSeconds`.
    public func isStale(at now: Int64, settings: BaselineSettings) -> Bool {
        switch self {
        case .activity(let record):
            // firstCleanAt goes with the counts: a sender forgotten is a sender unknown again.
            [record.clean, record.flagged].allSatisfy { $0.hasFaded(at: now, settings: settings) }
        case .pair(let record):
            record.messages.hasFaded(at: now, settings: settings)
        case .recipient(let record):
            [record.messages, record.external, record.firstContact, record.quarantined].allSatisfy { $0.hasFaded(at: now, settings: settings) }
        case .displayName(let record):
            record.uses.allSatisfy { elapsedSeconds(from: $0.lastAt, to: now) >= settings.forgetAfterSeconds }
        }
    }
}

extension DecayedCount {
    /// Below `forgetBelowCount` at `now` and not added to for `forgetAfterSeconds`. Both,
    /// because a large count outlives the age and a short half-life would fade a count
    /// within days. A count never added to has faded.
    public func hasFaded(at now: Int64, settings: BaselineSettings) -> Bool {
        value(at: now, halfLife: settings.halfLifeSeconds) < settings.forgetBelowCount
            && elapsedSeconds(from: updatedAt, to: now) >= settings.forgetAfterSeconds
    }
}
