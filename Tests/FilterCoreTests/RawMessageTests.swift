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

    @Test func binaryGarbageNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<2_000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let message = RawMessage(bytes: bytes)
            #expect(message.body.count >= 0)
        }
    }
}
