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

    @Test func pruningRemovesExactlyTheStaleRecordsAndLeavesActiveSendersAlone() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: rules))
        learnYearWithSilentPartners(into: store)
        let now = start + 365 * day
        // A store nobody has written behind holds every record as a change.
        let all = store.takeChanges()
        let stale = Set(all.filter { $0.1.isStale(at: now, settings: rules) }.map(\.0))
        for partner in 0..<20 {
            #expect(stale.contains(BaselineKey(.sender, partnerAddress(partner))) == (partner < silentPartners))
        }
        let active = (silentPartners..<20).map { message(from: partnerAddress($0), name: "Partner \($0)", to: ["user0@corp.example"], at: now) }
        let silent = message(from: partnerAddress(0), name: "Partner 0", to: ["user0@corp.example"], at: now)
        let before = active.map { store.signals(for: $0) }
        #expect(store.signals(for: silent)[.senderKnown] == 1)

        #expect(store.prune(at: now) == stale.count)
        #expect(store.recordCount == all.count - stale.count)
        for (key, record) in all { #expect(store.record(key) == (stale.contains(key) ? nil : record)) }
        #expect(Set(store.takeDeletions()) == stale)
        #expect(active.map { store.signals(for: $0) } == before)
        // Forgotten: the silent partner is unknown again.
        #expect(store.signals(for: silent)[.senderKnown] == 0)
        #expect(store.prune(at: now) == 0)
    }

    @Test func aRecordLearnedAgainAfterPruningIsWrittenNotDeleted() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: rules))
        let sender = BaselineKey(.sender, partnerAddress(0))
        store.learnClean(message(from: partnerAddress(0), to: ["user0@corp.example"], at: start))
        _ = store.takeChanges()
        #expect(store.prune(at: start + 300 * day) > 0)
        store.learnClean(message(from: partnerAddress(0), to: ["user0@corp.example"], at: start + 300 * day))
        #expect(!store.takeDeletions().contains(sender))
        #expect(store.takeChanges().contains { $0.0 == sender })
        // A failed write hands back its deletions; one learned again meanwhile is not deleted.
        store.markDeleted([sender, BaselineKey(.sender, "gone@x.example")])
        #expect(store.takeDeletions() == [BaselineKey(.sender, "gone@x.example")])
    }
}
