import FilterCore
import Testing

@Suite struct RawMessageTests {
    @Test func splitsHeadersAndKeepsFolds() {
        let message = RawMessage(bytes: Fixtures.plainMessage)
        #expect(message.headers.map(\.name) == ["Return-Path", "From", "To", "Subject"])
        #expect(message.firstValue(of: "subject") == "lunch\n tomorrow?")
        #expect(message.body == Array("Shall we meet at noon?\r\nSee you.\r\n".utf8))
    }

    @Test func bareLineFeedsBecomeCRLFInTheBody() {
        let message = RawMessage(bytes: Fixtures.forgedVerdictMessage)
        #expect(message.body == Array("Body with bare LF line ends.\r\n".utf8))
        #expect(message.headers.count == 5)
    }

    @Test func aLineThatIsNotAHeaderStartsTheBody() {
        let message = RawMessage(bytes: Array("From: a@b.example\nthis is not a header\nSubject: x\n".utf8))
        #expect(message.headers.map(\.name) == ["From"])
        #expect(message.body == Array("this is not a header\r\nSubject: x\r\n".utf8))
    }

    @Test func headersOnlyAndEmptyInputsAreFine() {
        #expect(RawMessage(bytes: Array("Subject: only\n".utf8)).body.isEmpty)
        let empty = RawMessage(bytes: [UInt8]())
        #expect(empty.headers.isEmpty && empty.body.isEmpty)
    }

    @Test func lineEndsAndFoldsAreCutAsPostfixCleanupCutsThem() {
        let message = RawMessage(bytes: Array("A: 1\r\n\t two\r\nB:\t\t3\r\r\nC:4\n \n\r\nbody\r\nend\rx\nlast".utf8))
        #expect(message.headers.map(\.name) == ["A", "B", "C"])
        #expect(message.headers.map(\.value) == ["1\n\t two", "3\r", "4\n "])
        #expect(message.body == Array("body\r\nend\rx\r\nlast".utf8))
        // A fold with no field before it, a name with a space or none, end the header section there.
        for text in [" folded\nA: 1\n", "Bad name: 1\n", ": 1\n"] {
            let cut = RawMessage(bytes: Array(text.utf8))
            #expect(cut.headers.isEmpty && cut.body == Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), "\(text)")
        }
        #expect(RawMessage(bytes: Array("A: 1\r\n\r\n".utf8)).body.isEmpty)
        #expect(RawMessage(bytes: Array("\n\nx".utf8)).body == Array("\r\nx".utf8))
    }

    @Test func binaryGarbageNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<2_000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let message = RawMessage(bytes: bytes)
            #expect(message.body.count >= 0)
        }
    }
}
