import Detection
import Foundation
@testable import Runtime
import Testing

/// The pure parts of quarantine review: parsing Postfix's listing and Gannet's header,
/// filtering, labels, the report, and safe rendering of hostile messages.
@Suite struct QuarantineTests {
    static let listing = Array("""
    {"queue_name": "hold", "queue_id": "940C6F8E372", "arrival_time": 1795580662, "message_size": 451, "forced_expire": false, "sender": "bob@evil.example", "recipients": [{"address": "user@gannet.test"}]}
    {"queue_name": "deferred", "queue_id": "1A2B3C", "arrival_time": 1795580000, "message_size": 10, "forced_expire": false, "sender": "", "recipients": [{"address": "x@example.org", "delay_reason": "connect refused"}]}
    postqueue: warning: something else
    {"queue_name": "hold", "truncated
    """.utf8)

    @Test func postqueueListingLinesAreParsedAndJunkSkipped() {
        let messages = QueuedMessage.parseListing(Self.listing)
        #expect(messages.map(\.queueID) == ["940C6F8E372", "1A2B3C"])
        #expect(messages[0].queueName == "hold" && messages[0].recipients.map(\.address) == ["user@gannet.test"])
        #expect(messages[1].recipients[0].delayReason == "connect refused")
    }

    @Test func onlyLettersAndDigitsPassAsQueueIDs() {
        #expect(QueuedMessage.isQueueID("940C6F8E372"))
        #expect(QueuedMessage.isQueueID("4Xy7bN2tGlz1q"))
        for bad in ["", "ALL", "-d", "ABC DEF", "../x", "A;B", String(repeating: "A", count: 65)] {
            #expect(!QueuedMessage.isQueueID(bad), "\(bad)")
        }
    }

    @Test func theVerdictHeaderIsReadBack() {
        let header = VerdictHeader("quarantine score=1.000 category=policy model=none")
        #expect(header == VerdictHeader("quarantine   score=1.000\n\tcategory=policy model=none"))
        #expect(header?.decision == "quarantine" && header?.score == 1 && header?.category == "policy" && header?.model == "none")
        #expect(VerdictHeader("") == nil)
        #expect(VerdictHeader("=== score=x")?.score == nil)
        #expect(VerdictHeader("defer score=abc")?.score == nil)
    }

    static func held(sender: String = "bob@evil.example", from: String = "Bob <bob@evil.example>", subject: String = "=?UTF-8?B?w4lsw6hu?=", verdict: String = "quarantine score=0.970 category=phishing model=m1", record: VerdictRecord? = nil, arrival: Double = 1_000_000) -> QuarantinedMessage {
        let queued = QueuedMessage(queueName: "hold", queueID: "ABC123", arrivalTime: arrival, messageSize: 100, sender: sender, recipients: [QueuedMessage.Recipient(address: "ceo@gannet.test")])
        let headers = Array("From: \(from)\r\nSubject: \(subject)\r\nX-Gannet-Verdict: \(verdict)\r\n\r\n".utf8)
        return QuarantinedMessage(queued: queued, headerBytes: headers, verdictHeaderName: "X-Gannet-Verdict", record: record)
    }

    @Test func aHeldMessageTakesItsVerdictFromTheHeaderOrTheLog() {
        let inline = Self.held()
        #expect(inline.subject == "Élèn" && inline.score == 0.97 && inline.category == "phishing" && inline.reasons.isEmpty)
        let job = SpoolJob(id: "1-ABC123", queueID: "ABC123", action: .hold, sender: "bob@evil.example", recipients: ["ceo@gannet.test"],
                           inline: VerdictSummary(Verdict(score: 0.5, logOdds: 0, decision: .defer, category: .spam, reasons: [Reason(name: "INLINE_DEFERRED", weight: 0)], modelID: "m1")), spooledAt: 10)
        let full = Verdict(score: 0.99, logOdds: 4.6, decision: .quarantine, category: .bec, reasons: [Reason(name: "DISPLAY_NAME_IMPERSONATION", weight: 3), Reason(name: "NOTE", weight: 0)], modelID: "m1")
        let deferred = Self.held(verdict: "defer score=0.500 category=spam model=m1", record: VerdictRecord(job: job, fullVerdict: full))
        #expect(deferred.score == 0.99 && deferred.category == "bec" && deferred.reasons == ["DISPLAY_NAME_IMPERSONATION"])
        let json = deferred.json(now: Date(timeIntervalSince1970: 1_000_060))
        #expect(json["age_seconds"] as? Int == 60 && json["outcome"] as? String == "malicious" && json["decision"] as? String == "defer")
    }

    /// Held messages Gannet will not act on (never scored, timed out, failed, a release that
    /// found nothing held) were listed like any other; now they say why and are unsettled.
    @Test func eachHeldMessageSaysWhyAndTheUnsettledOnesStandOut() {
        let job = SpoolJob(id: "1-ABC123", queueID: "ABC123", action: .hold, sender: "bob@evil.example", recipients: ["ceo@gannet.test"],
                           inline: VerdictSummary(Verdict(score: 0.5, logOdds: 0, decision: .defer, category: .spam, reasons: [], modelID: "m1")), spooledAt: 10)
        let clean = VerdictRecord(job: job, fullVerdict: Verdict(score: 0.01, logOdds: -4.6, decision: .accept, category: .clean, reasons: [], modelID: "m1"))
        let deferredHeader = "defer score=0.500 category=spam model=m1"
        let cases: [(QuarantinedMessage, String, Bool)] = [
            (Self.held(), "quarantined inline", false),
            (Self.held(verdict: deferredHeader), "deferred; no full verdict on record yet", false),
            (Self.held(verdict: deferredHeader, record: VerdictRecord(job: job, outcome: .unscored, verdict: nil, detail: "ASYNC_QUEUE_FULL")), "never scored: ASYNC_QUEUE_FULL", true),
            (Self.held(verdict: deferredHeader, record: VerdictRecord(job: job, outcome: .timeout, verdict: nil, detail: "ASYNC_TIMEOUT")), "full scoring over its time limit", true),
            (Self.held(verdict: deferredHeader, record: VerdictRecord(job: job, outcome: .failed, verdict: nil, detail: "unreadable")), "full scoring failed: unreadable", true),
            (Self.held(verdict: deferredHeader, record: clean), "full verdict clean; release pending", false),
            (Self.held(verdict: deferredHeader, record: clean.noting("RELEASE_NOT_HELD")), "full verdict clean, but its release found nothing held", true),
            (Self.held(verdict: "", record: nil), "no Gannet verdict: held by something else", false),
        ]
        for (message, text, unsettled) in cases {
            #expect(message.holdReason == HoldReason(text, unsettled: unsettled))
            #expect(message.json()["held_because"] as? String == text && message.json()["unsettled"] as? Bool == unsettled)
        }
    }

    @Test func filtersMatchSenderRecipientCategoryAndAge() {
        let message = Self.held(arrival: 1_000_000)
        let now = Date(timeIntervalSince1970: 1_000_000 + 7_200)
        #expect(QuarantineFilter(sender: "EVIL.example").matches(message, now: now))
        #expect(QuarantineFilter(sender: "Bob").matches(message, now: now))
        #expect(!QuarantineFilter(sender: "alice").matches(message, now: now))
        #expect(QuarantineFilter(recipient: "ceo@").matches(message, now: now))
        #expect(!QuarantineFilter(recipient: "cfo@").matches(message, now: now))
        #expect(QuarantineFilter(category: "Phishing").matches(message, now: now))
        #expect(!QuarantineFilter(category: "spam").matches(message, now: now))
        #expect(QuarantineFilter(olderThan: 3_600, newerThan: 10_800).matches(message, now: now))
        #expect(!QuarantineFilter(olderThan: 10_800).matches(message, now: now))
        #expect(!QuarantineFilter(newerThan: 3_600).matches(message, now: now))
    }

    @Test func spansParse() {
        #expect(DurationText.seconds("90s") == 90 && DurationText.seconds("15m") == 900 && DurationText.seconds("1d") == 86_400 && DurationText.seconds("7d") == 604_800)
        for bad in ["", "d", "7", "7x", "-1d", "1e99d"] { #expect(DurationText.seconds(bad) == nil, "\(bad)") }
    }

    @Test func aConfirmedMessageIsFiledByItsCategory() throws {
        #expect(FeedbackFolder.label(confirming: "phishing") == .phish)
        #expect(FeedbackFolder.label(confirming: "bec") == .phish)
        #expect(FeedbackFolder.label(confirming: "malware") == .phish)
        #expect(FeedbackFolder.label(confirming: "spam") == .spam)
        #expect(FeedbackFolder.label(confirming: "scam") == .spam)
        #expect(FeedbackFolder.label(confirming: "policy") == nil)
        #expect(FeedbackFolder.label(confirming: nil) == nil)
        let directory = NSTemporaryDirectory() + "gannet-feedback-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try FeedbackFolder(path: directory).file([1, 2, 3], queueID: "ABC", label: .ham, at: Date(timeIntervalSince1970: 5))
        #expect(path == "\(directory)/ham/ABC-5.eml")
        #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
    }

    @Test func theReportCountsTheLogAndTheReviews() {
        func record(_ queueID: String, full: Verdict?, spooled: Double, decided: Double) -> VerdictRecord {
            let job = SpoolJob(id: "j-\(queueID)", queueID: queueID, action: .hold, sender: "s@example.org", recipients: ["r@gannet.test"],
                               inline: VerdictSummary(Verdict(score: 0.5, logOdds: 0, decision: .defer, category: .spam, reasons: [Reason(name: "URL_SHORTENER", weight: 1)], modelID: "m")), spooledAt: spooled)
            if let full { return VerdictRecord(job: job, outcome: full.decision == .quarantine ? .malicious : .clean, verdict: full, decidedAt: decided) }
            return VerdictRecord(job: job, outcome: .timeout, verdict: nil, detail: "ASYNC_TIMEOUT", decidedAt: decided)
        }
        let clean = Verdict(score: 0.1, logOdds: -2.2, decision: .accept, category: .clean, reasons: [Reason(name: "AUTH_PASS", weight: -1)], modelID: "m")
        let phish = Verdict(score: 0.9, logOdds: 2.2, decision: .quarantine, category: .phishing, reasons: [Reason(name: "CREDENTIAL_FORM", weight: 3), Reason(name: "AUTH_PASS", weight: -1)], modelID: "m")
        let records = [
            record("OLD", full: phish, spooled: 0, decided: 50),
            record("A", full: clean, spooled: 100, decided: 100.01),
            record("B", full: phish, spooled: 100, decided: 100.2),
            record("B", full: phish, spooled: 100, decided: 100.3),  // re-applied after a crash
            record("C", full: nil, spooled: 100, decided: 160),
        ]
        let reviews = [
            ReviewDecision(queueID: "B", action: .release, category: "phishing", label: "ham", feedbackFile: nil, decidedAt: 200),
            ReviewDecision(queueID: "Z", action: .delete, category: "spam", label: "spam", feedbackFile: nil, decidedAt: 200),
            ReviewDecision(queueID: "Y", action: .release, category: "spam", label: "ham", feedbackFile: nil, decidedAt: 10),
        ]
        let report = VerdictReport(records: records, reviews: reviews, since: 90)
        #expect(report.deferred == 3)
        #expect(report.byOutcome == ["clean": 1, "malicious": 1, "timeout": 1])
        #expect(report.byCategory == ["clean": 1, "phishing": 1, "none": 1])
        #expect(report.latency.map { abs($0.p50 - 0.01) < 1e-6 && abs($0.max - 0.3) < 1e-6 } == true)
        #expect(report.topReasons.map { "\($0.name) \($0.count)" } == ["AUTH_PASS 2", "CREDENTIAL_FORM 1", "URL_SHORTENER 1"])
        #expect(report.releases == 1 && report.deletions == 1 && report.releasesByCategory == ["phishing": 1])
        #expect(report.rendered().contains("1 released (false positives: phishing 1), 1 deleted"))
    }

    @Test func defangingBreaksLinksAndEscapesControls() {
        #expect(Defang.url("http://example.com/login?x=a.b") == "hxxp://example[.]com/login?x=a.b")
        #expect(Defang.url("HTTPS://Paypal.com.evil.example") == "hxxps://Paypal[.]com[.]evil[.]example")
        #expect(Defang.url("javascript:alert(document.cookie)") == "javascript:alert(document[.]cookie)")
        #expect(Defang.text("go to https://a.example/x, or www.b.example now.") == "go to hxxps://a[.]example/x, or www[.]b[.]example now.")
        #expect(Defang.text("<http://c.example>") == "<hxxp://c[.]example>")
        #expect(Defang.printable("a\u{1B}[2Jb\r\nc\u{202E}d\u{0}") == "a\\u{1b}[2Jb\nc\\u{202e}d\\u{0}")
    }

    @Test func aHostileMessageIsShownAsInertText() {
        let message = Array("""
        From: =?UTF-8?B?UGF5UGFs?= <service@paypa1.example>\r
        To: victim@gannet.test\r
        Subject: Verify\u{1B}]0;pwned\u{07} now\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="b"\r
        \r
        --b\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <html><body><script>alert(1)</script><p>Your account is locked.</p>\r
        <a href="https://login.paypa1.example/verify">https://www.paypal.com</a>\r
        <img src="http://track.example/p.gif"></body></html>\r
        --b\r
        Content-Type: application/octet-stream; name="invoice.exe"\r
        Content-Transfer-Encoding: base64\r
        \r
        TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA4fug4AtAnNIbgBTM0hVGhpcyBwcm9ncmFt\r
        --b--\r

        """.utf8)
        let view = SafeMessageView(message: message)
        let text = view.rendered()
        #expect(text.contains("From: PayPal <service@paypa1.example>"))
        #expect(text.contains("Subject: Verify\\u{1b}]0;pwned\\u{7} now"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(text.contains("Your account is locked."))
        #expect(!text.contains("alert(1)") && !text.contains("<script"))
        #expect(text.contains("anchor: hxxps://login[.]paypa1[.]example/verify \"hxxps://www[.]paypal[.]com\""))
        #expect(text.contains("image: hxxp://track[.]example/p.gif"))
        #expect(!text.contains("http://") && !text.contains("https://"))
        #expect(text.contains("invoice.exe") && text.contains("sniffed=pe"))
    }

    @Test func bytesThatAreNotAMessageAreShownWithoutTrouble() {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 7, 4_096, 100_000] {
            let junk = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = SafeMessageView(message: junk).rendered()
        }
        let long = SafeMessageView(message: Array("Subject: x\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "a"), count: 200_000), textLimit: 1_000)
        #expect(long.textCut && long.texts.map(\.text.utf8.count).reduce(0, +) == 1_000)
    }
}
