import Baselines
import Features
import Testing

@Suite struct BaselineStatisticsTests {
    @Test func countsHalveEveryHalfLife() {
        var count = DecayedCount()
        count.add(8, at: 1000, halfLife: 100)
        #expect(count.value(at: 1000, halfLife: 100) == 8)
        #expect(abs(count.value(at: 1100, halfLife: 100) - 4) < 1e-9)
        #expect(abs(count.value(at: 1300, halfLife: 100) - 1) < 1e-9)
        count.add(1, at: 1100, halfLife: 100)
        #expect(abs(count.value(at: 1100, halfLife: 100) - 5) < 1e-9)
    }

    @Test func anEarlierClockDecaysNothing() {
        var count = DecayedCount()
        count.add(2, at: 5000, halfLife: 100)
        #expect(count.value(at: 4000, halfLife: 100) == 2)
        count.add(1, at: 4000, halfLife: 100)
        #expect(count.value(at: 5000, halfLife: 100) == 3)
        #expect(count.updatedAt == 5000)
    }

    @Test func aDamagedTimeDecaysToNothingInsteadOfTrapping() {
        let damaged = DecayedCount(stored: 5, updatedAt: .min)
        #expect(damaged.value(at: start, halfLife: 100) == 0)
        #expect(DecayedCount(stored: 5, updatedAt: .max).value(at: start, halfLife: 100) == 5)
    }

    @Test func dailyCreditStopsAtItsLimitAndRenewsNextDay() {
        var credit = DailyCredit()
        let taken = (0..<10).filter { _ in credit.take(at: start + 3600, limit: 3) }.count
        #expect(taken == 3)
        let lateSameDay = credit.take(at: start + day - 1, limit: 3)
        #expect(!lateSameDay)
        let nextDay = credit.take(at: start + day, limit: 3)
        #expect(nextDay)
    }

    @Test func sketchEstimatesDistinctRecipients() {
        var sketch = RecipientSketch()
        for index in 0..<40 {
            sketch.insert("user\(index)@corp.example")
            sketch.insert("user\(index)@corp.example")
        }
        #expect(abs(sketch.estimate - 40) < 8)
        #expect(RecipientSketch().estimate == 0)
    }

    @Test func signalsFillOnlyTheSchemasBehaviourBlock() {
        #expect(FeatureSchema.definition(named: "display_name_new_address")?.group == .behaviour)
        var signals = BaselineSignals()
        signals[.displayNameNewAddress] = 1
        signals[.senderAgeDays] = 12.5
        var vector = FeatureVector()
        vector[.bodyCut] = 1
        signals.write(into: &vector)
        #expect(vector[.displayNameNewAddress] == 1)
        #expect(vector[.senderAgeDays] == 12.5)
        #expect(vector[.baselinesAnswered] == 1)
        #expect(vector[.bodyCut] == 1)
        let touched = Feature.allCases.filter { vector[$0] != 0 }
        #expect(touched == [.bodyCut, .senderAgeDays, .displayNameNewAddress, .baselinesAnswered])
    }

    @Test func storageKeysRoundTrip() {
        for key in [BaselineKey(.sender, "a@b.example"), .pair(from: "a@b.example", to: "c@d.example"), BaselineKey(.displayName, "jane doe")] {
            #expect(BaselineKey(storageKey: key.storageKey) == key)
        }
        for bad in ["", "s", "x:foo", "s-foo"] { #expect(BaselineKey(storageKey: bad) == nil) }
    }
}
