/// When a record has nothing left worth keeping, so stores can drop it instead of keeping
/// every sender, pair and recipient ever seen. Pure: `now` is the caller's.
extension BaselineRecord {
    /// True when every count has faded (see `DecayedCount.hasFaded`) or, for a display name,
    /// when no address has used it for `forgetAfterSeconds`. Cheap for a fresh record: a
    /// store checks every record on each prune pass.
    public func isStale(at now: Int64, settings: BaselineSettings) -> Bool {
        switch self {
        case .activity(let record):
            // firstCleanAt goes with the counts: a sender forgotten is a sender unknown again.
            record.clean.hasFaded(at: now, settings: settings) && record.flagged.hasFaded(at: now, settings: settings)
        case .pair(let record):
            record.messages.hasFaded(at: now, settings: settings)
        case .recipient(let record):
            record.messages.hasFaded(at: now, settings: settings) && record.external.hasFaded(at: now, settings: settings)
                && record.firstContact.hasFaded(at: now, settings: settings) && record.quarantined.hasFaded(at: now, settings: settings)
        case .displayName(let record):
            record.uses.allSatisfy { elapsedSeconds(from: $0.lastAt, to: now) >= settings.forgetAfterSeconds }
        }
    }
}

extension DecayedCount {
    /// Not added to for `forgetAfterSeconds` and below `forgetBelowCount` at `now`. Both,
    /// because a large count outlives the age and a short half-life would fade a count
    /// within days. A count never added to has faded.
    public func hasFaded(at now: Int64, settings: BaselineSettings) -> Bool {
        // The age first: it spares a fresh count the exp2.
        elapsedSeconds(from: updatedAt, to: now) >= settings.forgetAfterSeconds
            && value(at: now, halfLife: settings.halfLifeSeconds) < settings.forgetBelowCount
    }
}
