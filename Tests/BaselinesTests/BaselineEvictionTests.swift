@testable import Baselines
import Features
import Testing

/// The embedded store's cap: a flood of one-off senders evicts the least valuable records
/// (`RetentionValue`) and never takes the store past `maxRecords`.
@Suite struct BaselineEvictionTests {
    /// Four records a shard: small enough that a few thousand lessons fill every shard.
    let cap = 4 * 1024
    let partner = "pat@vendor.example"
    let ceo = "ceo@corp.example"
    /// When the flood starts, after the partner's history.
    let floodStart = start + 120 * day

    /// Every other week for four months: the partner's sender, domain, pair and display name.
    func learnPartner(into store: some BaselineStore) {
        for index in 0..<9 { store.learnClean(message(from: partner, name: "Pat Vendor", to: [ceo], at: start + Int64(index) * 14 * day)) }
    }

    /// Sender `index` of a flood: its own address, domain and display name, one message each.
    func oneOff(_ index: Int) -> BaselineQuery {
        message(from: "x\(index)@spam\(index).example", name: "Spam \(index)", to: ["user\(index % 4)@corp.example"], at: floodStart + Int64(index))
    }

    var partnerKeys: [BaselineKey] {
        [BaselineKey(.sender, partner), BaselineKey(.domain, "vendor.example"), .pair(from: partner, to: ceo), BaselineKey(.displayName, "pat vendor")]
    }

    @Test func theStoreNeverHoldsMoreThanItsCap() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()), maxRecords: cap)
        // Four new records a lesson (sender, domain, pair, display name): three times the cap.
        for index in 0..<3_000 {
            store.learnClean(oneOff(index))
            if index % 50 == 0 { #expect(store.recordCount <= cap, "after \(index + 1) lessons") }
        }
        #expect(store.recordCount <= cap)
        // Each shard goes a sixteenth below its share at most; four a shard leave none.
        #expect(store.recordCount > cap * 15 / 16)
        #expect(store.evictedCount >= 4 * 3_000 - cap)
        // Evicted keys are deletions for write-behind, and no longer changes to write.
        let deletions = store.takeDeletions()
        #expect(deletions.count == store.evictedCount)
        #expect(deletions.allSatisfy { store.record($0) == nil })
        let changed = Set(store.takeChanges().map(\.0))
        #expect(changed.count == store.recordCount)
        #expect(changed.isDisjoint(with: deletions))
    }

    @Test func anEstablishedSenderSurvivesAFloodOfOneOffSenders() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()), maxRecords: cap)
        learnPartner(into: store)
        let before = partnerKeys.map { store.record($0) }
        #expect(before.allSatisfy { $0 != nil })
        for index in 0..<3_000 {
            if index % 3 == 0 { store.learnFlagged(oneOff(index)) } else { store.learnClean(oneOff(index)) }
        }
        #expect(store.evictedCount > 0)
        #expect(store.recordCount <= cap)
        #expect(partnerKeys.map { store.record($0) } == before)
        let signals = store.signals(for: message(from: partner, name: "Pat Vendor", to: [ceo], at: floodStart + day))
        #expect(signals[.senderKnown] == 1 && signals[.displayNameKnown] == 1 && signals[.pairMinimumMessages] > 1)
    }

    @Test func flaggedSendersAreEvictedBeforeCleanOnes() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()), maxRecords: cap)
        learnPartner(into: store)
        let flagged = (0..<3_000).filter { $0 % 2 == 0 }
        let clean = (0..<3_000).filter { $0 % 2 == 1 }
        for index in 0..<3_000 {
            if index % 2 == 0 { store.learnFlagged(oneOff(index)) } else { store.learnClean(oneOff(index)) }
        }
        func surviving(_ indexes: [Int]) -> Int {
            indexes.count { store.record(BaselineKey(.sender, "x\($0)@spam\($0).example")) != nil }
        }
        // A flagged sender survives only where its shard has not ranked since it was learnt.
        #expect(surviving(flagged) * 4 < surviving(clean), "flagged \(surviving(flagged)), clean \(surviving(clean))")
        #expect(partnerKeys.allSatisfy { store.record($0) != nil })
    }

    @Test func aStoreLoadedOverItsCapIsEvictedByThePrune() {
        let full = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        learnPartner(into: full)
        for index in 0..<3_000 { full.learnClean(oneOff(index)) }
        let records = Dictionary(uniqueKeysWithValues: full.takeChanges())
        #expect(records.count > 2 * cap)

        let loaded = EmbeddedBaselineStore(model: BaselineModel(settings: settings()), records: records, maxRecords: cap)
        #expect(loaded.prune(at: floodStart + day) == 0)
        #expect(loaded.recordCount <= cap)
        #expect(loaded.evictedCount == records.count - loaded.recordCount)
        #expect(Set(loaded.takeDeletions()).count == loaded.evictedCount)
        #expect(partnerKeys.allSatisfy { loaded.record($0) == records[$0] })
    }

    @Test func retentionRanksFlaggedThenOneOffThenRepeatedHistory() {
        let rules = settings()
        let now = start + 400 * day
        let halfLife = rules.halfLifeSeconds
        func activity(clean: [Int64], flagged: [Int64] = []) -> RetentionValue {
            var record = ActivityRecord()
            for at in clean {
                record.firstCleanAt = min(record.firstCleanAt ?? at, at)
                record.clean.add(1, at: at, halfLife: halfLife)
            }
            for at in flagged { record.flagged.add(1, at: at, halfLife: halfLife) }
            return BaselineRecord.activity(record).retentionValue(at: now, settings: rules)
        }
        let flaggedOnly = activity(clean: [], flagged: [now])
        let mostlyFlagged = activity(clean: [now - 30 * day], flagged: [now - day, now])
        let freshOneOff = activity(clean: [now])
        let olderOneOff = activity(clean: [now - 30 * day])
        let burst = activity(clean: [now - 3600, now - 1800, now - 900, now - 60, now])
        // A partner writing once a month for a year: fewer messages now than the burst.
        let monthly = activity(clean: (0..<12).map { now - 360 * day + Int64($0) * 30 * day })
        #expect(flaggedOnly < freshOneOff && mostlyFlagged < freshOneOff)
        #expect(olderOneOff < freshOneOff)
        #expect(freshOneOff < burst)
        #expect(burst < monthly)
        #expect(activity(clean: [now - 60 * day, now - 30 * day]) < monthly)

        var onePair = PairRecord(firstAt: now)
        onePair.messages.add(1, at: now, halfLife: halfLife)
        var repeatedPair = PairRecord(firstAt: now - 10 * day)
        repeatedPair.messages.add(1, at: now - 10 * day, halfLife: halfLife)
        repeatedPair.messages.add(1, at: now, halfLife: halfLife)
        #expect(BaselineRecord.pair(onePair).retentionValue(at: now, settings: rules) < BaselineRecord.pair(repeatedPair).retentionValue(at: now, settings: rules))

        let oneUse = DisplayNameRecord(uses: [.init(address: "x@spam.example", firstAt: now, lastAt: now)])
        let longUse = DisplayNameRecord(uses: [.init(address: partner, firstAt: now - 90 * day, lastAt: now - 5 * day)])
        #expect(BaselineRecord.displayName(oneUse).retentionValue(at: now, settings: rules) < BaselineRecord.displayName(longUse).retentionValue(at: now, settings: rules))
        #expect(flaggedOnly < BaselineRecord.displayName(oneUse).retentionValue(at: now, settings: rules))
    }
}
