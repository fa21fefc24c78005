import Detection
import Foundation
import Runtime
import Testing

@Suite struct SpoolTests {
    @Test func aJobReadsBackAsWrittenAndGoesAwayWithItsVerdict() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let job = try fixture.spoolJob(queueID: "4AbC1", sender: "alice@example.org")
        #expect(fixture.spool.jobIDs() == [job.id])
        let (read, message) = try fixture.spool.read(job.id)
        #expect(read == job)
        #expect(message == AsyncFixture.message)

        let record = VerdictRecord(job: job, outcome: .timeout, verdict: nil, detail: "ASYNC_TIMEOUT")
        try fixture.spool.recordVerdict(record)
        #expect(fixture.spool.recordedVerdict(job.id) == record)
        try fixture.spool.remove(job.id)
        #expect(fixture.spool.jobIDs().isEmpty)
        #expect(fixture.spool.recordedVerdict(job.id) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.spool.directory).isEmpty)
    }

    /// JSON has no NaN or infinity: such a reason weight once made the job line empty, and the
    /// message was spooled with nothing naming it; its verdict logged as an error object.
    @Test func aWeightThatIsNotANumberIsSpooledAndLoggedWithItsJob() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let reasons = [Reason(name: "DAMAGED", weight: .nan), Reason(name: "HUGE", weight: .infinity), Reason(name: "TINY", weight: -.infinity)]
        let inline = VerdictSummary(Verdict(score: 0.5, logOdds: 0, decision: .defer, category: .spam, reasons: reasons, modelID: "damaged"))
        let job = SpoolJob(id: "1700000000000000000-4AbC1", queueID: "4AbC1", action: .hold, sender: "a@example.org", recipients: ["user@gannet.test"], inline: inline, spooledAt: 1_700_000_000)
        try fixture.spool.write(job, message: AsyncFixture.message)
        let (read, message) = try fixture.spool.read(job.id)
        #expect(read.queueID == "4AbC1" && message == AsyncFixture.message)
        #expect(read.inline.reasons.map(\.name) == ["DAMAGED", "HUGE", "TINY"])
        #expect(read.inline.reasons[0].weight.isNaN && read.inline.reasons[1].weight == .infinity && read.inline.reasons[2].weight == -.infinity)

        let log = try VerdictLog(path: fixture.directory + "/verdicts.jsonl")
        try log.append(VerdictRecord(job: read, outcome: .failed, verdict: nil, detail: "damaged"))
        #expect(try VerdictLogReader(path: log.path).latest(queueID: "4AbC1")?.inline.reasons.map(\.name) == ["DAMAGED", "HUGE", "TINY"])
    }

    @Test func jobsComeOutOldestFirstAndLeftoversOfACrashAreCleanedUp() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let later = try fixture.spoolJob(queueID: "B2", sender: "a@example.org", at: 1_700_000_100)
        let earlier = try fixture.spoolJob(queueID: "A1", sender: "a@example.org", at: 1_700_000_000)
        // A temporary file (crash mid-write) and a verdict whose job is gone (crash mid-removal).
        try Data("half".utf8).write(to: URL(fileURLWithPath: fixture.spool.directory + "/.tmp-x.job"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: fixture.spool.directory + "/gone.verdict"))
        let reopened = try Spool(directory: fixture.spool.directory)
        reopened.removeOrphanVerdicts()
        #expect(reopened.jobIDs() == [earlier.id, later.id])
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.spool.directory).sorted()
        #expect(names == [earlier.id + ".job", later.id + ".job"])
    }

    @Test func aDamagedJobFileIsAnErrorNotACrash() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        try Data([0xff, 0x00, 0x7b]).write(to: URL(fileURLWithPath: fixture.spool.directory + "/broken.job"))
        #expect(throws: Spool.ReadError.self) { try fixture.spool.read("broken") }
        #expect(throws: Spool.ReadError.self) { try fixture.spool.read("absent") }
    }

    @Test func queueIDsThatCouldNameAnotherFileAreRefused() {
        #expect(QueuedMessage.isQueueID("4XyZ1abc"))
        #expect(!QueuedMessage.isQueueID("../etc"))
        #expect(!QueuedMessage.isQueueID(""))
        #expect(!QueuedMessage.isQueueID("A B"))
    }
}
