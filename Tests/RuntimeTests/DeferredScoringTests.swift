import Detection
import FilterCore
import Foundation
import Runtime
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
