import Baselines
import Detection
import Features
import FilterCore
import Foundation
import Runtime
import Testing

@Suite struct DeferredJobProcessorTests {
    /// Scores and finishes one job, as a worker does.
    @discardableResult
    func run(_ fixture: AsyncFixture, _ job: SpoolJob) -> JobFinish {
        fixture.processor.finish(job.id, fixture.processor.score(job.id))
    }

    @Test func aCleanHeldMessageIsReleasedLoggedAndForgotten() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "CLEAN1", sender: "alice@example.org")
        run(fixture, job)
        #expect(fixture.holdQueue.releases.withLock { $0 } == ["CLEAN1"])
        let logged = try #require(fixture.loggedVerdicts.first)
        #expect(fixture.loggedVerdicts.count == 1)
        #expect(logged.outcome == .clean && logged.queueID == "CLEAN1" && logged.verdict?.decision == .accept)
        #expect(logged.inline.decision == .defer)
        #expect(fixture.spool.jobIDs().isEmpty)
        #expect(fixture.metrics.asyncVerdictCount(.clean) == 1)
    }

    /// Spool files are data: a time no clock gives must be scored, logged and released, not trap.
    @Test(arguments: [1e300, -1e300, 9.3e18, -0.5])
    func aSpooledTimeOfAnySizeIsScoredAndLogged(spooledAt: Double) throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let inline = VerdictSummary(Verdict(score: 0.5, logOdds: 0, decision: .defer, category: .spam, reasons: [], modelID: "none"))
        let job = SpoolJob(id: "1-ODD1", queueID: "ODD1", action: .hold, sender: "alice@example.org", recipients: ["user@gannet.test"], inline: inline, spooledAt: spooledAt)
        try fixture.spool.write(job, message: AsyncFixture.message)
        run(fixture, job)
        #expect(fixture.holdQueue.releases.withLock { $0 } == ["ODD1"])
        #expect(fixture.loggedVerdicts.first?.outcome == .clean)
        #expect(fixture.metrics.asyncVerdictCount(.clean) == 1)
    }

    @Test func aMaliciousHeldMessageStaysHeldWithItsReason() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "BAD1", sender: "bad@evil.example")
        run(fixture, job)
        #expect(fixture.holdQueue.releases.withLock { $0 }.isEmpty)
        #expect(fixture.holdQueue.hooked.withLock { $0 }.isEmpty)
        let logged = try #require(fixture.loggedVerdicts.first)
        #expect(logged.outcome == .malicious && logged.verdict?.reasons.map(\.name) == ["BLOCKED_SENDER"])
        #expect(fixture.spool.jobIDs().isEmpty)
    }

    /// The spool keeps the envelope only; the header From must still reach the lists, or a
    /// clean envelope sender would carry a blocked From past the full pass.
    @Test func theFullPassChecksTheHeaderFromOfTheSpooledMessage() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let forged = Array("From: Bad <bad@evil.example>\r\nTo: user@gannet.test\r\nSubject: hello\r\n\r\nA long enough body.\r\n".utf8)
        let job = try fixture.spoolJob(queueID: "FROM1", sender: "alice@example.org", message: forged)
        run(fixture, job)
        #expect(fixture.holdQueue.releases.withLock { $0 }.isEmpty)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.malicious])
        #expect(fixture.loggedVerdicts.first?.verdict?.reasons.map(\.name) == ["BLOCKED_SENDER"])
    }

    @Test func inAcceptModeAMaliciousVerdictGoesToTheHookAndACleanOneToNobody() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        run(fixture, try fixture.spoolJob(queueID: "BAD2", sender: "bad@evil.example", action: .accept))
        run(fixture, try fixture.spoolJob(queueID: "OK2", sender: "alice@example.org", action: .accept))
        let hooked = fixture.holdQueue.hooked.withLock { $0 }
        #expect(hooked.count == 1)
        let record = try JSONDecoder().decode(VerdictRecord.self, from: Data(try #require(hooked.first).utf8))
        #expect(record.queueID == "BAD2" && record.outcome == .malicious && record.action == .accept)
        #expect(fixture.holdQueue.releases.withLock { $0 }.isEmpty)
        #expect(fixture.loggedVerdicts.map(\.queueID) == ["BAD2", "OK2"])
    }

    @Test func aReleaseBeforePostfixHasHeldTheMessageIsTriedAgainLater() throws {
        let fixture = try AsyncFixture(holdQueue: RecordingHoldQueue(releases: [.notHeld, .released]))
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "RACE1", sender: "alice@example.org")
        #expect(run(fixture, job) == .retry(after: .milliseconds(1)))
        #expect(fixture.spool.recordedVerdict(job.id)?.outcome == .clean)
        #expect(fixture.loggedVerdicts.isEmpty)
        #expect(run(fixture, job) == .done)
        #expect(fixture.holdQueue.releases.withLock { $0 } == ["RACE1", "RACE1"])
        #expect(fixture.spool.jobIDs().isEmpty)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.clean])
    }

    /// Released before a crash, never queued, or held later than the retries: after them it is
    /// logged as such and counted for review, not passed over as released.
    @Test func aMessageThatNeverShowsUpInTheHoldQueueIsGivenUpAfterTheRetries() throws {
        let fixture = try AsyncFixture(holdQueue: RecordingHoldQueue(releases: [.notHeld, .notHeld, .notHeld]))
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "GONE1", sender: "alice@example.org")
        #expect(run(fixture, job) == .retry(after: .milliseconds(1)))
        #expect(run(fixture, job) == .retry(after: .milliseconds(1)))
        #expect(run(fixture, job) == .done)
        #expect(fixture.holdQueue.releases.withLock { $0 }.count == 3)
        #expect(fixture.spool.jobIDs().isEmpty)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.clean])
        #expect(fixture.loggedVerdicts.map(\.detail) == ["RELEASE_NOT_HELD"])
        #expect(fixture.metrics.heldForReviewCount(.releaseNotHeld) == 1)
    }

    /// A job file that cannot be read for a while (EIO, EMFILE) was removed and its message
    /// stayed held with no record; now it is tried again and scored once it reads.
    @Test func aJobThatCannotBeReadForAWhileIsScoredOnceItReads() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "EIO1", sender: "alice@example.org")
        let path = "\(fixture.spool.directory)/\(job.id).job"
        try FileManager.default.moveItem(atPath: path, toPath: path + ".away")
        // A directory in its place: a path that exists and cannot be read as a file.
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(run(fixture, job) == .retry(after: .milliseconds(3)))
        #expect(fixture.spool.jobIDs() == [job.id])
        #expect(fixture.loggedVerdicts.isEmpty)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: path + ".away", toPath: path)
        #expect(run(fixture, job) == .done)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.clean])
        #expect(fixture.holdQueue.releases.withLock { $0 } == ["EIO1"])
    }

    @Test func aHeldMessageOverTheTimeLimitStaysHeldAndIsCountedForReview() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "SLOW1", sender: "alice@example.org")
        #expect(fixture.processor.finish(job.id, .timedOut) == .done)
        #expect(fixture.holdQueue.releases.withLock { $0 }.isEmpty)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.timeout])
        #expect(fixture.metrics.heldForReviewCount(.timeout) == 1)
    }

    /// A job line that will never decode: kept aside, its message held and counted for review.
    @Test func aDamagedJobIsSetAsideAndCountedForReview() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let id = "1700000000000000000-DMG1"
        try Data("{not json\nFrom: a\n\nbody".utf8).write(to: URL(fileURLWithPath: "\(fixture.spool.directory)/\(id).job"))
        #expect(fixture.processor.finish(id, fixture.processor.score(id)) == .done)
        #expect(fixture.spool.jobIDs().isEmpty)
        #expect(FileManager.default.fileExists(atPath: "\(fixture.spool.directory)/\(id).damaged"))
        #expect(fixture.metrics.heldForReviewCount(.failed) == 1)
        #expect(Spool.queueID(ofJob: id) == "DMG1")
    }

    @Test func aFailedReleaseIsTriedAgainLaterWithItsRecordedVerdict() throws {
        let failure = ReleaseResult.failed("postsuper: fatal")
        let fixture = try AsyncFixture(holdQueue: RecordingHoldQueue(releases: [failure, failure, failure, .released]))
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "FAIL1", sender: "alice@example.org")
        // Backing off, then staying at the longest wait for as long as it fails.
        #expect(run(fixture, job) == .retry(after: .milliseconds(3)))
        #expect(run(fixture, job) == .retry(after: .milliseconds(5)))
        #expect(run(fixture, job) == .retry(after: .milliseconds(5)))
        #expect(fixture.spool.jobIDs() == [job.id])
        #expect(fixture.spool.recordedVerdict(job.id)?.outcome == .clean)
        #expect(fixture.loggedVerdicts.isEmpty)
        #expect(run(fixture, job) == .done)
        #expect(fixture.holdQueue.releases.withLock { $0 } == ["FAIL1", "FAIL1", "FAIL1", "FAIL1"])
        #expect(fixture.spool.jobIDs().isEmpty)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.clean])
    }

    /// The crash case: a verdict recorded, then a reload that would decide otherwise, then a
    /// restart. The recorded verdict is carried out, not a new one.
    @Test func aRecordedVerdictIsCarriedOutAgainEvenIfTheModelNowDisagrees() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "KEEP1", sender: "bad@evil.example")
        let verdict = Verdict(score: 1, logOdds: Verdict.listedLogOdds, decision: .quarantine, category: .policy, reasons: [Reason(name: "BLOCKED_SENDER", weight: 1)], modelID: "none")
        try fixture.spool.recordVerdict(VerdictRecord(job: job, fullVerdict: verdict))
        fixture.store.replace(with: FilterSnapshot(policy: FilterPolicy(), engine: DetectionEngine(lists: .empty)))
        run(fixture, job)
        #expect(fixture.holdQueue.releases.withLock { $0 }.isEmpty)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.malicious])
    }

    @Test func anUnreadableJobStaysHeldAndIsLoggedAsFailed() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "CUT1", sender: "alice@example.org")
        // The job line survives, the message is damaged beyond reading: scoring says so.
        #expect(fixture.processor.finish(job.id, .failed("unreadable")) == .done)
        #expect(fixture.holdQueue.releases.withLock { $0 }.isEmpty)
        #expect(fixture.loggedVerdicts.map(\.outcome) == [.failed])
        #expect(fixture.metrics.asyncVerdictCount(.failed) == 1)
        #expect(fixture.metrics.heldForReviewCount(.failed) == 1)
    }

    /// A spooled message's parties are taught its full verdict, once: a verdict recorded
    /// before a restart is carried out again but not taught again.
    @Test func theFullVerdictTeachesTheBaselinesOnce() throws {
        let baselines = EmbeddedBaselineStore()
        let fixture = try AsyncFixture(baselines: baselines)
        defer { fixture.remove() }
        func parties(_ sender: String) -> BaselineQuery {
            BaselineQuery(envelopeSender: sender, fromAddress: sender, recipients: ["user@gannet.test"], at: 1_700_000_000)
        }
        let clean = try fixture.spoolJob(queueID: "CLEAN2", sender: "alice@example.org", parties: parties("alice@example.org"))
        run(fixture, clean)
        let bad = try fixture.spoolJob(queueID: "BAD2", sender: "bad@evil.example", parties: parties("bad@evil.example"))
        run(fixture, bad)
        let unteachable = try fixture.spoolJob(queueID: "NONE1", sender: "carol@example.org")
        run(fixture, unteachable)

        let alice = try #require(baselines.record(BaselineKey(.sender, "alice@example.org")))
        guard case .activity(let aliceActivity) = alice else { Issue.record("not an activity record"); return }
        #expect(aliceActivity.firstCleanAt == 1_700_000_000)
        guard case .activity(let badActivity)? = baselines.record(BaselineKey(.sender, "bad@evil.example")) else { Issue.record("bad sender not flagged"); return }
        #expect(badActivity.firstCleanAt == nil && badActivity.flagged.stored == 1)
        #expect(baselines.record(BaselineKey(.sender, "carol@example.org")) == nil)

        // Recorded before a crash, carried out again after it: counted once.
        let again = try fixture.spoolJob(queueID: "CLEAN3", sender: "alice@example.org", at: 1_700_000_100, parties: parties("alice@example.org"))
        let record = VerdictRecord(job: again, fullVerdict: Verdict(score: 0, logOdds: -Verdict.listedLogOdds, decision: .accept, category: .clean, reasons: [], modelID: "none"))
        try fixture.spool.recordVerdict(record)
        run(fixture, again)
        guard case .activity(let afterRestart)? = baselines.record(BaselineKey(.sender, "alice@example.org")) else { Issue.record("alice lost"); return }
        #expect(afterRestart.clean.stored == 1)
    }
}
