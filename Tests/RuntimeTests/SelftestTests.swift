import Detection
import FilterCore
import Foundation
import Logging
@testable import Runtime
import Testing

@Suite struct SelftestTests {
    @Test func aTokenIsClaimedOnceAndForgottenAfterItsRound() {
        let book = CanaryBook()
        let token = book.issue(.quarantine)
        #expect(token.count == 32 && token.allSatisfy(\.isHexDigit))
        #expect(book.issue(.quarantine) != token)
        #expect(book.claim((token.first == "0" ? "1" : "0") + token.dropFirst(), queueID: "4A") == nil)
        #expect(book.claim(token, queueID: "4Q1") == .quarantine)
        #expect(book.claim(token, queueID: "4Q2") == nil)
        #expect(book.progress(token)?.queueID == "4Q1")
        book.forget(token)
        #expect(book.progress(token) == nil)
    }

    /// Each decision's canary is confirmed only by every step that decision takes.
    @Test func aCanaryIsConfirmedOnlyWhenEveryStepOfItsDecisionWasSeen() {
        var accepted = CanaryProgress(asked: .accept)
        #expect(accepted.result(pastDeadline: false) == nil)
        #expect(accepted.result(pastDeadline: true)?.0 == .unseen)
        accepted.claimed = true
        accepted.carriedOut = true
        #expect(accepted.result(pastDeadline: false)?.0 == .confirmed)

        var quarantined = CanaryProgress(asked: .quarantine)
        quarantined.claimed = true
        quarantined.carriedOut = true
        quarantined.held = true
        #expect(quarantined.result(pastDeadline: false) == nil)
        #expect(quarantined.result(pastDeadline: true)?.0 == .failed)
        quarantined.hold = .missing
        #expect(quarantined.result(pastDeadline: false)?.0 == .failed)
        quarantined.hold = .unverified
        #expect(quarantined.result(pastDeadline: false)?.0 == .failed)
        quarantined.hold = .confirmed
        #expect(quarantined.result(pastDeadline: false)?.0 == .confirmed)

        var deferred = quarantined
        deferred = CanaryProgress(asked: .defer)
        deferred.claimed = true
        deferred.carriedOut = true
        deferred.held = true
        deferred.hold = .confirmed
        #expect(deferred.result(pastDeadline: false) == nil, "its full verdict is still to come")
        #expect(deferred.result(pastDeadline: true)?.0 == .failed)
        deferred.fullVerdictCarriedOut = true
        #expect(deferred.result(pastDeadline: false)?.0 == .confirmed)
        deferred.releaseFoundNothing = true
        #expect(deferred.result(pastDeadline: false)?.0 == .failed)

        var notCarried = CanaryProgress(asked: .accept)
        notCarried.claimed = true
        #expect(notCarried.result(pastDeadline: false)?.0 == .failed)
    }

    /// A held canary from a blocked sender is found clean in full and let go, but only once
    /// its hold was seen in the hold queue: a release first would leave nothing to confirm.
    @Test func aHeldCanaryIsReleasedOnlyAfterItsHoldIsConfirmed() throws {
        var fixture = try AsyncFixture()
        defer { fixture.remove() }
        let queue = ScriptedHoldQueue()
        let book = CanaryBook()
        let verifier = HoldVerifier(settings: HoldVerification(), metrics: fixture.metrics, logger: Logger(label: "test"), observer: book.holdObserver) { try queue.list() }
        fixture.processor.holdVerifier = verifier
        fixture.processor.canaries = book
        let token = book.issue(.defer)
        #expect(book.claim(token, queueID: "4CAN1") == .defer)
        book.milterDecided(CanaryNote(token: token, asked: .defer), verdictID: "g-0000000001", held: true, carriedOut: true)
        verifier.expectHeld(queueID: "4CAN1", verdictID: "g-0000000001", action: .hold)

        let inline = VerdictSummary(Verdict(score: 1, logOdds: 9, decision: .defer, category: .policy, reasons: [SelftestCanary.reason, Reason(name: "BLOCKED_SENDER", weight: 9)], modelID: "none"))
        let job = SpoolJob(id: "1-4CAN1", queueID: "4CAN1", action: .hold, sender: "bad@evil.example", recipients: ["selftest@gannet.test"], inline: inline, spooledAt: 1_700_000_000)
        try fixture.spool.write(job, message: AsyncFixture.message)
        #expect(fixture.processor.finish(job.id, fixture.processor.score(job.id)) == .retry(after: .seconds(1)))
        #expect(fixture.holdQueue.releases.withLock { $0 }.isEmpty)

        queue.held.withLock { $0 = ["4CAN1"] }
        verifier.check()
        #expect(book.progress(token)?.hold == .confirmed)
        #expect(fixture.processor.finish(job.id, fixture.processor.score(job.id)) == .done)
        #expect(fixture.holdQueue.releases.withLock { $0 } == ["4CAN1"])
        let logged = try #require(fixture.loggedVerdicts.first)
        #expect(logged.outcome == .clean && logged.verdict?.reasons.map(\.name) == ["SELFTEST_CANARY", "BLOCKED_SENDER"])
        #expect(book.progress(token)?.result(pastDeadline: false)?.0 == .confirmed)
    }

    @Test func readsTheSectionAndRefusesWhatCannotWork() throws {
        let config = try GannetConfig.parse("""
            [selftest]
            enabled = true
            mta = "192.0.2.7:2525"
            from = "gannet@example.com"
            to = "selftest@example.com"
            interval_minutes = 0
            deadline_seconds = 60
            """, file: "t.toml")
        #expect(config.selftest.enabled && config.selftest.mta == SMTPEndpoint(host: "192.0.2.7", port: 2525))
        #expect(config.selftest.interval == nil && config.selftest.deadline == .seconds(60))
        #expect(config.selftest.from == "gannet@example.com" && config.selftest.to == "selftest@example.com")
        for (text, message) in [
            ("[selftest]\nenabled = true", "name the recipient"),
            ("[selftest]\nenabled = true\nto = \"a@b.example\"\n[verify]\nholds = false", "[verify] holds = true"),
            ("[selftest]\nenabled = true\nto = \"a@b.example\"\ndeadline_seconds = 10", "must be longer than [verify] interval_seconds"),
            ("[selftest]\nmta = \"localhost:25\"", "is not an IPv4 address and port"),
            ("[selftest]\nmta = \"127.0.0.1:0\"", "is not an IPv4 address and port"),
            ("[selftest]\nto = \"a@b.example>\\r\\nRCPT TO:<c@d.example\"", "is not a mail address"),
            ("[selftest]\nfrom = \"nobody\"", "is not a mail address"),
        ] {
            #expect { try GannetConfig.parse(text, file: "t.toml") } throws: { "\($0)".contains(message) }
        }
    }

    @Test func findsPostfixsQueueIDInItsReplyToData() {
        #expect(SMTPClient.queueID(inReply: "250 2.0.0 Ok: queued as 4fKx2T0zQbz9") == "4fKx2T0zQbz9")
        #expect(SMTPClient.queueID(inReply: "250 2.0.0 Ok") == nil)
    }
}
