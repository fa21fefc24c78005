import Baselines
import Features
import Testing

/// Records come back from SQLite files and Redis servers that may be damaged or hostile: any
/// time they hold must give signals, never a trap on every message from that sender.
@Suite struct StoredExtremesTests {
    struct Records: BaselineRecordSource {
        let records: [BaselineKey: BaselineRecord]
        func record(_ key: BaselineKey) -> BaselineRecord? { records[key] }
    }

    @Test(arguments: [Int64.min, -1, 0, Int64.max])
    func extremeFirstSeenTimesGiveFiniteSignals(first: Int64) {
        var activity = ActivityRecord()
        activity.firstCleanAt = first
        activity.clean = DecayedCount(stored: 3, updatedAt: first)
        let model = BaselineModel(settings: settings())
        let store = Records(records: [BaselineKey(.sender, "a@partner.example"): .activity(activity),
                                      BaselineKey(.domain, "partner.example"): .activity(activity)])
        for now in [Int64.min, 0, 1_751_360_000, Int64.max] {
            let query = message(from: "a@partner.example", to: ["b@corp.example"], at: now)
            let signals = model.signals(for: query, in: store)
            #expect(signals[.senderKnown] == 1)
            #expect(signals[.senderAgeDays].isFinite && signals[.senderAgeDays] >= 0)
            #expect(signals[.domainAgeDays].isFinite && signals[.domainAgeDays] >= 0)
        }
    }

    @Test func dailyCreditTakesAnyTime() {
        for now in [Int64.min, Int64.min + 1, -86_401, -86_400, -1, 0, 86_399, 86_400, Int64.max] {
            var credit = DailyCredit()
            let first = credit.take(at: now, limit: 1)
            let second = credit.take(at: now, limit: 1)
            #expect(first && !second)
            if now >= 0 { #expect(credit.day == now / 86_400) }
        }
    }
}
