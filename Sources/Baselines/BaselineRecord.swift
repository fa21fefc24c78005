/// The statistics kept for one key. Pairs are most of the records and the smallest, so the
/// large kinds are boxed: every record is then as small as a pair in the store's table.
public enum BaselineRecord: Sendable, Equatable {
    indirect case activity(ActivityRecord)
    case pair(PairRecord)
    indirect case recipient(RecipientRecord)
    case displayName(DisplayNameRecord)
}

/// What a sender address or a sender domain has done.
public struct ActivityRecord: Sendable, Equatable {
    /// When its first message ended clean; nil while none has.
    public var firstCleanAt: Int64?
    public var clean = DecayedCount()
    /// Messages that ended quarantined or malicious.
    public var flagged = DecayedCount()
    public var recipients = RecipientSketch()
    /// Caps the clean messages credited per day.
    public var cleanCredit = DailyCredit()
    /// Caps the flagged messages counted per day, so mail forged in a partner's name cannot
    /// sink its clean share overnight either.
    public var flaggedCredit = DailyCredit()

    public init() {}
}

/// One sender writing to one recipient.
public struct PairRecord: Sendable, Equatable {
    public var firstAt: Int64
    public var messages = DecayedCount()

    public init(firstAt: Int64) {
        self.firstAt = firstAt
    }
}

/// What arrives for one of our recipients.
public struct RecipientRecord: Sendable, Equatable {
    public var messages = DecayedCount()
    /// Messages from senders outside the internal domains.
    public var external = DecayedCount()
    /// External messages from a sender that had never written to this recipient.
    public var firstContact = DecayedCount()
    public var quarantined = DecayedCount()

    public init() {}
}

/// The addresses a From display name has come from on clean mail, at most
/// `BaselineSettings.addressesPerDisplayName`, the least recently seen dropped first.
public struct DisplayNameRecord: Sendable, Equatable {
    public struct Use: Sendable, Equatable {
        public var address: String
        public var firstAt: Int64
        public var lastAt: Int64

        public init(address: String, firstAt: Int64, lastAt: Int64) {
            self.address = address
            self.firstAt = firstAt
            self.lastAt = lastAt
        }
    }

    public var uses: [Use] = []

    public init(uses: [Use] = []) {
        self.uses = uses
    }

    public func hasUsed(_ address: String) -> Bool {
        uses.contains { $0.address == address }
    }

    mutating func record(_ address: String, at now: Int64, keeping limit: Int) {
        if let index = uses.firstIndex(where: { $0.address == address }) {
            uses[index].lastAt = max(uses[index].lastAt, now)
            return
        }
        uses.append(Use(address: address, firstAt: now, lastAt: now))
        while uses.count > max(limit, 1), let stalest = uses.indices.min(by: { uses[$0].lastAt < uses[$1].lastAt }) {
            uses.remove(at: stalest)
        }
    }
}
