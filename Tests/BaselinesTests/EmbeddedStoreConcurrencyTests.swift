import Baselines
import Foundation
import Synchronization
import Testing

/// The embedded store called as the daemon calls it: lookups on many libmilter threads,
/// lessons, pruning and write-behind on threads of their own, all at once.
@Suite struct EmbeddedStoreConcurrencyTests {
    let sender = "ap@partner.example"
    let threads = 8

    func recipient(_ thread: Int) -> String { "user\(thread)@corp.example" }

    @Test func lessonsOnOneSenderFromManyThreadsLoseNoCounts() async {
        var generous = settings()
        generous.senderDailyCredit = 10_000
        generous.domainDailyCredit = 10_000
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: generous))
        let lessons = 200
        await onThreads(threads) { thread in
            // All in one second, so nothing decays and every count is a whole number.
            for _ in 0..<lessons { store.learnClean(message(from: sender, name: "Ap Partner", to: [recipient(thread)], at: start)) }
        }
        let total = Double(threads * lessons)
        #expect(activity(store.record(BaselineKey(.sender, sender)))?.clean.stored == total)
        #expect(activity(store.record(BaselineKey(.domain, "partner.example")))?.clean.stored == total)
        for thread in 0..<threads {
            guard case .pair(let pair)? = store.record(.pair(from: sender, to: recipient(thread))),
                  case .recipient(let record)? = store.record(BaselineKey(.recipient, recipient(thread)))
            else {
                Issue.record("no pair or recipient record for thread \(thread)")
                continue
            }
            #expect(pair.messages.stored == Double(lessons))
            #expect(record.messages.stored == Double(lessons))
            // Only the very first lesson to each recipient met no pair.
            #expect(record.firstContact.stored == 1)
        }
    }

    @Test func lessonsFromManyThreadsStayWithinTheDailyCredit() async {
        // A credit the threads race for over many lessons; the domain keeps its default of 50.
        var tuned = settings()
        tuned.senderDailyCredit = 1_000
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: tuned))
        await onThreads(threads) { thread in
            for _ in 0..<500 { store.learnClean(message(from: sender, to: [recipient(thread)], at: start)) }
        }
        let credited = activity(store.record(BaselineKey(.sender, sender)))
        #expect(credited?.cleanCredit.used == 1_000)
        #expect(credited?.clean.stored == 1_000)
        #expect(activity(store.record(BaselineKey(.domain, "partner.example")))?.clean.stored == Double(tuned.domainDailyCredit))
        // Each credited lesson, and only those, counted one pair message.
        let pairs = (0..<threads).compactMap { thread -> Double? in
            guard case .pair(let pair)? = store.record(.pair(from: sender, to: recipient(thread))) else { return nil }
            return pair.messages.stored
        }
        #expect(pairs.reduce(0, +) == 1_000)
    }

    @Test func lookupsDuringPruningAnswerActiveSendersAsBefore() async {
        let now = start + 365 * day
        let active = (silentPartners..<20).map { message(from: partnerAddress($0), name: "Partner \($0)", to: ["user0@corp.example"], at: now) }
        for _ in 0..<10 {
            let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
            learnYearWithSilentPartners(into: store)
            let before = active.map { store.signals(for: $0) }
            let passes = Mutex(0)
            let pruned = Mutex(0)
            let lookups = Mutex(0)
            let differing = Mutex(0)
            // Both sides keep going until the other has had its turn: at least one pass (the
            // first removes the silent partners, the rest remove nothing) and 1,000 lookups.
            await onThreads(threads) { thread in
                if thread == 0 {
                    repeat {
                        let removed = store.prune(at: now)
                        pruned.withLock { $0 += removed }
                        passes.withLock { $0 += 1 }
                    } while lookups.withLock({ $0 < 1_000 })
                    return
                }
                while passes.withLock({ $0 == 0 }) || lookups.withLock({ $0 < 1_000 }) {
                    let answers = active.map { store.signals(for: $0) }
                    lookups.withLock { $0 += 1 }
                    if answers != before { differing.withLock { $0 += 1 } }
                }
            }
            #expect(differing.withLock { $0 } == 0)
            #expect(pruned.withLock { $0 } > 0)
            #expect(store.signals(for: message(from: partnerAddress(0), name: "Partner 0", to: ["user0@corp.example"], at: now))[.senderKnown] == 0)
        }
    }

    @Test func writeBehindDuringLessonsMissesNoChange() async {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        let written = Mutex<[BaselineKey: BaselineRecord]>([:])
        let learning = Mutex(threads - 1)
        await onThreads(threads) { thread in
            guard thread > 0 else {
                // Write-behind: takes the changes over and over while the others learn.
                while learning.withLock({ $0 > 0 }) {
                    let changes = store.takeChanges()
                    written.withLock { for (key, record) in changes { $0[key] = record } }
                }
                return
            }
            for index in 0..<300 {
                let from = "s\(index % 40)@vendor\(thread).example"
                store.learnClean(message(from: from, name: "Vendor \(thread)", to: [recipient(index % 3)], at: start + Int64(index) * 600))
            }
            learning.withLock { $0 -= 1 }
        }
        written.withLock { for (key, record) in store.takeChanges() { $0[key] = record } }
        let records = written.withLock { $0 }
        #expect(records.count == store.recordCount)
        #expect(records.allSatisfy { key, record in store.record(key) == record })
        #expect(store.takeChanges().isEmpty)
    }

    func activity(_ record: BaselineRecord?) -> ActivityRecord? {
        if case .activity(let activity)? = record { return activity }
        return nil
    }
}

/// Runs `body(index)` on `count` threads of their own, as libmilter's threads call a store,
/// and returns when every one has finished; the cooperative pool only waits.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
    await withTaskGroup(of: Void.self) { group in
        for index in 0..<count {
            group.addTask {
                await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
                    Thread {
                        body(index)
                        finished.resume()
                    }.start()
                }
            }
        }
    }
}
