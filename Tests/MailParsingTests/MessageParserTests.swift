import MailParsing
import Testing

@Suite struct MessageParserTests {
    /// The same results however libmilter happens to chunk the body.
    @Test(arguments: MessageFixtures.all, [1, 7, 65_535, 0])
    func chunkingNeverChangesTheResult(fixture: MessageFixtures.Fixture, chunkSize: Int) {
        let (whole, wholeStructure) = ParseRecord.parse(fixture.bytes, chunkSize: 0)
        let (chunked, chunkedStructure) = ParseRecord.parse(fixture.bytes, chunkSize: chunkSize)
        #expect(chunked == whole)
        #expect(chunkedStructure == wholeStructure)
    }

    @Test func plainMessageTextAndHeaders() {
        let (record, structure) = ParseRecord.parse(MessageFixtures.plain.bytes, chunkSize: 0)
        #expect(record.parts.count == 1)
        #expect(record.parts[0].contentType == "text/plain")
        #expect(record.text(of: 0).contains("see https://www.example.org/agenda?id=7 before the meeting."))
        #expect(record.headers.contains("0:Subject:=?utf-8?B?Q2Fmw6k=?= meeting"))
        #expect(structure.leafParts == 1 && structure.limitsHit.isEmpty)
    }

    @Test func alternativeBodiesGiveTextLinksAndHTMLStats() {
        let (record, structure) = ParseRecord.parse(MessageFixtures.alternative.bytes, chunkSize: 0)
        #expect(record.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(record.text(of: 0) == "Verify your account within 24 hours.")
        #expect(!record.text(of: 0).contains("preamble"))
        #expect(record.text(of: 1).contains("Verify your account"))
        #expect(!record.text(of: 1).contains("hidden words"))
        #expect(record.links.contains { $0.hasPrefix("1:anchor:http://paypa1-secure.com/login:https://www.paypal.com") })
        #expect(structure.html.trackingPixels == 1)
        #expect(structure.html.hiddenTextBytes > 0)
        #expect(structure.htmlParts == 1 && structure.plainTextParts == 1)
    }

    @Test func attachmentsAreHashedWhenAskedSniffedAndNamed() {
        var hashing = ParserLimits()
        hashing.hashAttachments = true
        let (record, _) = ParseRecord.parse(MessageFixtures.nestedWithAttachments.bytes, chunkSize: 0, limits: hashing)
        let attachments = record.parts.filter(\.isAttachment)
        #expect(attachments.count == 2)
        #expect(attachments[0].filename == "invoice.pdf.exe")
        #expect(attachments[0].sniffedType == .pe)
        #expect(attachments[0].sha256?.count == 64)
        // Scoring never reads the hash, so by default nothing is hashed; the rest is the same.
        let (unhashed, _) = ParseRecord.parse(MessageFixtures.nestedWithAttachments.bytes, chunkSize: 0)
        #expect(unhashed.parts.allSatisfy { $0.sha256 == nil })
        #expect(unhashed.parts.map(\.decodedBytes) == record.parts.map(\.decodedBytes))
        #expect(unhashed.parts.map(\.sniffedType) == record.parts.map(\.sniffedType))
        #expect(attachments[1].filename == "résumé.pdf")
        #expect(attachments[1].sniffedType == .pdf)
        #expect(record.parts.filter { !$0.isAttachment }.map(\.depth) == [2, 2])
    }

    @Test func zipMembersAreListed() {
        let (record, _) = ParseRecord.parse(MessageFixtures.zipAttachment.bytes, chunkSize: 7)
        #expect(record.parts.first?.sniffedType == .zip)
        #expect(record.parts.first?.zipMembers == ["invoice.pdf.exe"])
    }

    @Test func attachedMessagesAreParsedWithTheirHeaders() {
        let (record, _) = ParseRecord.parse(MessageFixtures.attachedMessage.bytes, chunkSize: 0)
        #expect(record.headers.contains("2:Subject:Mailbox quota exceeded"))
        let inner = record.parts.first { $0.isHTML }
        #expect(inner?.charset == "iso-8859-1")
        #expect(record.links.contains { $0.contains("http://evil.example/owa/login.php:Validate your mailbox") })
    }

    @Test func quotedPrintableAndLatin1AreDecoded() {
        let (record, _) = ParseRecord.parse(MessageFixtures.latin1QuotedPrintable.bytes, chunkSize: 0)
        #expect(record.text(of: 0).hasPrefix("Café crème, soft break and a broken =ZZ escape."))
        #expect(record.parts[0].transferDecodeErrors == 1)
    }

    @Test func malformedStructuresAreRecordedNotFatal() {
        let (truncated, _) = ParseRecord.parse(MessageFixtures.truncatedBase64.bytes, chunkSize: 0)
        #expect(truncated.parts.first?.transferMalformed == true)
        let (_, unterminated) = ParseRecord.parse(MessageFixtures.unterminatedBoundary.bytes, chunkSize: 0)
        #expect(unterminated.unterminatedMultiparts == 1)
        #expect(unterminated.leafParts == 2)
        let (noBoundaryRecord, noBoundary) = ParseRecord.parse(MessageFixtures.multipartWithoutBoundary.bytes, chunkSize: 0)
        #expect(noBoundary.multipartsWithoutBoundary == 1)
        #expect(noBoundaryRecord.text(of: 0).contains("just text"))
        let (blankless, _) = ParseRecord.parse(MessageFixtures.boundaryWithoutBlankLine.bytes, chunkSize: 0)
        #expect(blankless.parts.count == 2)
        #expect(blankless.text(of: 1) == "body of the second part")
        let (_, nuls) = ParseRecord.parse(MessageFixtures.nulBytes.bytes, chunkSize: 0)
        #expect(nuls.nulBytes == 5)
    }

    @Test func limitsAreOutcomes() {
        let (huge, hugeStructure) = ParseRecord.parse(MessageFixtures.hugeHeaderLine.bytes, chunkSize: 0)
        #expect(hugeStructure.limitsHit.contains(.headerBytes))
        #expect(huge.text.values.contains { String(decoding: $0, as: UTF8.self).contains("after the huge header") } || huge.parts.count == 1)
        let (many, manyStructure) = ParseRecord.parse(MessageFixtures.manyParts.bytes, chunkSize: 0)
        #expect(manyStructure.limitsHit.contains(.parts))
        #expect(many.parts.count < 10_000)
        let (_, deep) = ParseRecord.parse(MessageFixtures.deepNesting.bytes, chunkSize: 0)
        #expect(deep.limitsHit.contains(.depth))
        #expect(deep.deepestNesting <= ParserLimits().maxDepth)
    }

    @Test func aSeededMutationOfEveryFixtureNeverTraps() {
        var generator = SeededGenerator(seed: 7)
        for fixture in MessageFixtures.all where fixture.bytes.count < 100_000 {
            for _ in 0..<40 {
                var bytes = fixture.bytes
                for _ in 0..<Int.random(in: 1...12, using: &generator) {
                    guard !bytes.isEmpty else { break }
                    let position = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: position)
                    case 2: bytes.insert(contentsOf: Array("\r\n--".utf8), at: position)
                    default: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...64, using: &generator)))
                    }
                }
                let chunk = [1, 7, 65_535][Int.random(in: 0..<3, using: &generator)]
                let (first, firstStructure) = ParseRecord.parse(bytes, chunkSize: chunk)
                let (whole, wholeStructure) = ParseRecord.parse(bytes, chunkSize: 0)
                #expect(first == whole, "\(fixture.name) mutated, chunk \(chunk)")
                #expect(firstStructure == wholeStructure)
            }
        }
    }
}
