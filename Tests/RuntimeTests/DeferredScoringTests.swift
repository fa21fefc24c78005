import Detection
import FilterCore
import Foundation
import Runtime
import Synchronization
import Testing

@Suite struct DeferredScoringTests {
    static let deferred = DeferredMessage(bytes: AsyncFixture.message, action: .hold,
                                          inline: Verdict(score: 0.5, logOdds: 0, decision: .defer, category: .spam, reasons: [], modelID: "none"))
    static let evidence = MessageEvidence(envelopeSender: MailAddress(parsing: "alice@example.org"), recipients: [MailAddress(parsing: "user@gannet.test")!])

    func scoring(_ fixture: AsyncFixture, capacity: Int, onQueueFull: QueueFullAction) -> DeferredScoring {
        var settings = AsyncSettings()
        settings.queueCapacity = capacity
        settings.onQueueFull = onQueueFull
        return DeferredScoring(settings: settings, processor: fixture.processor)
    }

    @Test func aDeferredMessageIsSpooledWholeBeforeTheReply() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let scoring = scoring(fixture, capacity: 5, onQueueFull: .hold)
        #expect(scoring.admit(Self.deferred, queueID: "4QID1", evidence: Self.evidence) == .spooled)
        let id = try #require(fixture.spool.jobIDs().first)
        let (job, message) = try fixture.spool.read(id)
        #expect(job.queueID == "4QID1" && job.sender == "alice@example.org" && job.recipients == ["user@gannet.test"] && job.action == .hold)
        #expect(message == AsyncFixture.message)
        #expect(scoring.pool.depth == 1)
    }

    @Test(arguments: [QueueFullAction.hold, .tempfail])
    func aFullQueueFollowsThePolicyWithoutSpooling(policy: QueueFullAction) throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let scoring = scoring(fixture, capacity: 1, onQueueFull: policy)
        #expect(scoring.admit(Self.deferred, queueID: "FIRST", evidence: Self.evidence) == .spooled)
        let second = scoring.admit(Self.deferred, queueID: "SECOND", evidence: Self.evidence)
        #expect(fixture.spool.jobIDs().count == 1)
        switch policy {
        case .hold:
            #expect(second == .heldUnscored(reason: "ASYNC_QUEUE_FULL"))
            #expect(fixture.loggedVerdicts.map(\.queueID) == ["SECOND"])
            #expect(fixture.loggedVerdicts.first?.outcome == .unscored)
        case .tempfail:
            #expect(second == .tempfail)
            #expect(fixture.loggedVerdicts.isEmpty)
        }
        #expect(fixture.metrics.prometheusText().contains("gannet_async_queue_full_total{action=\"\(policy.rawValue)\"} 1"))
    }

    /// Holding a message unscored runs on the milter thread; its verdict-log line waited for
    /// the disk there. A log that cannot take a line (a pipe nobody reads, full) stands for a
    /// stalled disk: the admission must still answer.
    @Test func holdingUnscoredDoesNotWaitForTheVerdictLog() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let fifo = fixture.directory + "/stalled.jsonl"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        let log = try VerdictLog(path: fifo)
        let writer = open(fifo, O_WRONLY | O_NONBLOCK)
        let filler = [UInt8](repeating: 0x20, count: 4_096)
        while write(writer, filler, filler.count) > 0 {}
        close(writer)
        var processor = fixture.processor
        processor = DeferredJobProcessor(spool: processor.spool, verdictLog: log, actions: processor.actions, store: processor.store, metrics: processor.metrics, logger: processor.logger)
        var settings = AsyncSettings()
        settings.queueCapacity = 5
        let scoring = DeferredScoring(settings: settings, processor: processor)
        let answered = DispatchSemaphore(value: 0)
        let admission = Mutex<DeferredScoring.Admission?>(nil)
        Thread {
            admission.withLock { $0 = scoring.admit(Self.deferred, queueID: nil, evidence: Self.evidence) }
            answered.signal()
        }.start()
        #expect(answered.wait(timeout: .now() + 5) == .success, "the admission waited for the verdict log")
        #expect(admission.withLock { $0 } == .heldUnscored(reason: "NO_QUEUE_ID"))
        #expect(fixture.metrics.heldForReviewCount(.unscored) == 1)
        // Drain the pipe so the background line can be written and the test can end.
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while read(reader, &buffer, buffer.count) > 0 {}
        log.flush()
    }

    @Test func withoutQueueIDOrWithTooLargeAMessageItIsHeldUnscored() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        let scoring = scoring(fixture, capacity: 5, onQueueFull: .hold)
        #expect(scoring.admit(Self.deferred, queueID: nil, evidence: Self.evidence) == .heldUnscored(reason: "NO_QUEUE_ID"))
        #expect(scoring.admit(Self.deferred, queueID: "../x", evidence: Self.evidence) == .heldUnscored(reason: "NO_QUEUE_ID"))
        let tooLarge = DeferredMessage(bytes: nil, action: .hold, inline: Self.deferred.inline)
        #expect(scoring.admit(tooLarge, queueID: "BIG1", evidence: Self.evidence) == .heldUnscored(reason: "TOO_LARGE_TO_SPOOL"))
        #expect(fixture.spool.jobIDs().isEmpty)
        #expect(fixture.loggedVerdicts.map(\.detail) == ["NO_QUEUE_ID", "NO_QUEUE_ID", "TOO_LARGE_TO_SPOOL"])
    }

    @Test func startResumesEverySpooledJobAndFinishesThem() throws {
        let fixture = try AsyncFixture()
        defer { fixture.remove() }
        _ = try fixture.spoolJob(queueID: "R1", sender: "alice@example.org")
        _ = try fixture.spoolJob(queueID: "R2", sender: "bad@evil.example", at: 1_700_000_001)
        let scoring = scoring(fixture, capacity: 5, onQueueFull: .hold)
        defer { scoring.pool.stop() }
        #expect(scoring.start() == 2)
        #expect(AsyncScoringPoolTests.waitUntil { fixture.spool.jobIDs().isEmpty && scoring.pool.depth == 0 })
        #expect(Set(fixture.loggedVerdicts.map { "\($0.queueID) \($0.outcome.rawValue)" }) == ["R1 clean", "R2 malicious"])
        #expect(fixture.holdQueue.releases.withLock { $0 } == ["R1"])
        #expect(fixture.metrics.prometheusText().contains("gannet_async_queue_depth 0"))
    }
}
