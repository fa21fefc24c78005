/// How much a record is worth keeping when the embedded store is over its cap
/// (`EmbeddedBaselineStore.maxRecords`): the least valuable are evicted first. Ordered by
/// standing, then weight, then when it was last added to:
/// - `flagged`: a sender or domain whose flagged count is at least its clean count. It earns
///   no standing, and a sender forgotten is unknown, which earns none either (one with no
///   clean message at all gives exactly the signals of no record).
/// - `oneOff`: history within a single day (one message, or one day's burst), which is what
///   a flood of random senders leaves behind.
/// - `repeated`: history over more than a day: established senders, their pairs and display
///   names, and the recipients that get mail day after day.
///
/// Within a standing the smaller weight goes first, the decayed count of messages behind the
/// record (clean minus flagged for a sender or domain), then the one added to longest ago.
struct RetentionValue: Comparable {
    enum Standing: Int {
        case flagged, oneOff, repeated
    }

    let standing: Standing
    let weight: Double
    let lastAddedAt: Int64

    static func < (left: RetentionValue, right: RetentionValue) -> Bool {
        if left.standing != right.standing { return left.standing.rawValue < right.standing.rawValue }
        if left.weight != right.weight { return left.weight < right.weight }
        return left.lastAddedAt < right.lastAddedAt
    }
}

extension BaselineRecord {
    func retentionValue(at now: Int64, settings: BaselineSettings) -> RetentionValue {
        let halfLife = settings.halfLifeSeconds
        switch self {
        case .activity(let record):
            let clean = record.clean.value(at: now, halfLife: halfLife)
            let flagged = record.flagged.value(at: now, halfLife: halfLife)
            let last = max(record.clean.updatedAt, record.flagged.updatedAt)
            guard clean > flagged, let first = record.firstCleanAt else {
                return RetentionValue(standing: .flagged, weight: clean - flagged, lastAddedAt: last)
            }
            return RetentionValue(standing: Self.standing(from: first, to: record.clean.updatedAt), weight: clean - flagged, lastAddedAt: last)
        case .pair(let record):
            let messages = record.messages.value(at: now, halfLife: halfLife)
            return RetentionValue(standing: Self.standing(from: record.firstAt, to: record.messages.updatedAt), weight: messages, lastAddedAt: record.messages.updatedAt)
        case .recipient(let record):
            // No first time is kept: a count of at most 1 when last added to is one message.
            let standing: RetentionValue.Standing = record.messages.stored > 1 ? .repeated : .oneOff
            return RetentionValue(standing: standing, weight: record.messages.value(at: now, halfLife: halfLife), lastAddedAt: record.messages.updatedAt)
        case .displayName(let record):
            let first = record.uses.map(\.firstAt).min() ?? .min
            let last = record.uses.map(\.lastAt).max() ?? .min
            // It counts no messages: its days in use, fading from the last as a count would.
            let days = Double(max(elapsedSeconds(from: first, to: last), 0) / 86_400)
            let weight = DecayedCount(stored: 1 + days, updatedAt: last).value(at: now, halfLife: halfLife)
            return RetentionValue(standing: Self.standing(from: first, to: last), weight: weight, lastAddedAt: last)
        }
    }

    private static func standing(from first: Int64, to last: Int64) -> RetentionValue.Standing {
        elapsedSeconds(from: first, to: last) >= 86_400 ? .repeated : .oneOff
    }
}
