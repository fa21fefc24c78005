import Baselines
import Testing

@Suite struct BaselineForgettingTests {
    let rules = settings()
    var age: Int64 { rules.forgetAfterSeconds }

    @Test func aSingleMessageIsKeptUntilTheForgettingAgeThenDropped() {
        var pair = PairRecord(firstAt: start)
        pair.messages.add(1, at: start, halfLife: rules.halfLifeSeconds)
        let record = BaselineRecord.pair(pair)
        #expect(!record.isStale(at: start, settings: rules))
        #expect(!record.isStale(at: start + age - day, settings: rules))
        #expect(record.isStale(at: start + age, settings: rules))
    }

    @Test func aLargeCountOutlivesTheForgettingAge() {
        var activity = ActivityRecord()
        activity.firstCleanAt = start
        activity.clean.add(100, at: start, halfLife: rules.halfLifeSeconds)
        let record = BaselineRecord.activity(activity)
        // 100 halves to about 1 in 200 days and to 0.01 in about 400.
        #expect(!record.isStale(at: start + age, settings: rules))
        #expect(!record.isStale(at: start + 390 * day, settings: rules))
        #expect(record.isStale(at: start + 410 * day, settings: rules))
    }

    @Test func oneFreshCountKeepsTheWholeRecord() {
        var recipient = RecipientRecord()
        recipient.messages.add(1, at: start, halfLife: rules.halfLifeSeconds)
        recipient.quarantined.add(1, at: start + 300 * day, halfLife: rules.halfLifeSeconds)
        #expect(!BaselineRecord.recipient(recipient).isStale(at: start + 301 * day, settings: rules))
        #expect(BaselineRecord.recipient(recipient).isStale(at: start + 300 * day + age, settings: rules))
    }

    @Test func aFadedCountWithinTheAgeIsKept() {
        var quick = rules
        quick.halfLifeSeconds = 3600
        var pair = PairRecord(firstAt: start)
        pair.messages.add(1, at: start, halfLife: quick.halfLifeSeconds)
        // Below 0.01 after a day, but not silent for the forgetting age yet.
        #expect(!BaselineRecord.pair(pair).isStale(at: start + day, settings: quick))
        #expect(BaselineRecord.pair(pair).isStale(at: start + age, settings: quick))
    }

    @Test func aDisplayNameIsForgottenWhenNoAddressHasUsedItForTheAge() {
        let names = DisplayNameRecord(uses: [
            .init(address: "old@corp.example", firstAt: start, lastAt: start),
            .init(address: "new@corp.example", firstAt: start, lastAt: start + 100 * day),
        ])
        let record = BaselineRecord.displayName(names)
        #expect(!record.isStale(at: start + age, settings: rules))
        #expect(!record.isStale(at: start + 100 * day + age - 1, settings: rules))
        #expect(record.isStale(at: start + 100 * day + age, settings: rules))
    }

    @Test func aClockBehindTheRecordForgetsNothing() {
        var pair = PairRecord(firstAt: start)
        pair.messages.add(1, at: start, halfLife: rules.halfLifeSeconds)
        #expect(!BaselineRecord.pair(pair).isStale(at: start - age, settings: rules))
        let names = DisplayNameRecord(uses: [.init(address: "a@corp.example", firstAt: start, lastAt: start)])
        #expect(!BaselineRecord.displayName(names).isStale(at: start - age, settings: rules))
    }

    @Test func damagedTimesDoNotTrap() {
        let count = DecayedCount(stored: 1, updatedAt: .min)
        #expect(count.hasFaded(at: start, settings: rules))
        let names = DisplayNameRecord(uses: [.init(address: "a@corp.example", firstAt: .max, lastAt: .max)])
        #expect(!BaselineRecord.displayName(names).isStale(at: .min, settings: rules))
    }
}
