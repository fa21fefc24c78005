import Crypto
import Detection
import Features
import Foundation
import MailParsing
import Testing

@Suite struct CompactModelFileTests {
    static let fullThresholds = #"{"quarantine": 0.9, "accept": 0.3, "full_quarantine": 0.8}"#

    static func documents() throws -> [ModelDocument] {
        [
            try ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.linear)),
            try ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.linear, full: ModelFixtures.trees, thresholds: fullThresholds)),
            try ModelFixtures.document(ModelFixtures.model(inline: ModelFixtures.stacked, full: ModelFixtures.stacked)),
        ]
    }

    /// The payload of a compact file with its header's length and checksum made to fit, so a
    /// test can damage the structure without the checksum catching it first.
    static func resealed(_ file: [UInt8], payload: [UInt8]) -> [UInt8] {
        var header = Array(file[..<72])
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { header.replaceSubrange(32..<40, with: $0) }
        header.replaceSubrange(40..<72, with: Array(SHA256.hash(data: payload)))
        return header + payload
    }

    @Test func everyKindOfModelSurvivesTheRoundTrip() throws {
        for document in try Self.documents() {
            let bytes = try CompactModelFile.encode(document)
            #expect(CompactModelFile.isCompact(bytes))
            #expect(try CompactModelFile.decode(bytes) == document)
            #expect(try ModelFile.decode(bytes) == document)
            #expect(CompactModelFile.schemaDigest(bytes) == FeatureSchema.digest)
            // And the same document always gives the same bytes, whatever its dictionaries' order.
            #expect(try CompactModelFile.encode(CompactModelFile.decode(bytes)) == bytes)
        }
    }

    @Test func bothFormsScoreAlike() throws {
        let document = try Self.documents()[2]
        let fromJSON = try CompiledModel(ModelFile.decode(ModelFile.encode(document, as: .json)))
        let fromCompact = try CompiledModel(ModelFile.decode(ModelFile.encode(document, as: .compact)))
        var vector = FeatureVector()
        vector[.urlCount] = 5
        vector.ngrams = [NGramCount(bucket: 7, count: 3)]
        #expect(fromJSON.scoreFull(vector).logit == fromCompact.scoreFull(vector).logit)
        #expect(fromJSON.scoreInline(vector).logit == fromCompact.scoreInline(vector).logit)
    }

    @Test func damageIsRefusedWithWhereItIs() throws {
        let bytes = try CompactModelFile.encode(Self.documents()[1])
        var flipped = bytes
        flipped[bytes.count - 3] ^= 0x40
        #expect(throws: ModelValidationError("compact model checksum does not match: the file is damaged")) { try CompactModelFile.decode(flipped) }
        #expect(throws: ModelValidationError.self) { try CompactModelFile.decode(Array(bytes.dropLast(9))) }
        #expect(throws: ModelValidationError.self) { try CompactModelFile.decode(Array(bytes.prefix(40))) }
        var newer = bytes
        newer[8] = 2
        #expect(throws: ModelValidationError("compact model layout version 2; this Gannet reads version 1")) { try CompactModelFile.decode(newer) }
        var lying = bytes
        lying[16] ^= 0x01
        #expect(throws: ModelValidationError("compact model header and payload name different feature schemas")) { try CompactModelFile.decode(lying) }

        // A count far beyond the file is refused before anything is allocated: the first
        // string's length, made 4 GB.
        var payload = Array(bytes[72...])
        payload.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: ModelValidationError("compact model: cut short at byte 76")) { try CompactModelFile.decode(Self.resealed(bytes, payload: payload)) }
        // Trailing bytes are damage too.
        #expect(throws: ModelValidationError.self) { try CompactModelFile.decode(Self.resealed(bytes, payload: Array(bytes[72...]) + [0])) }
    }

    @Test func whatTheLayoutCarriesIsValidatedAsJSONIs() throws {
        var document = try Self.documents()[1]
        document.thresholds.accept = .nan
        let bytes = try CompactModelFile.encode(document)
        #expect(throws: ModelValidationError.self) { try CompiledModel(CompactModelFile.decode(bytes)) }
    }

    @Test func theFileNameChoosesTheForm() throws {
        #expect(ModelFile.form(forPath: "/etc/gannet/model.gmodel") == .compact)
        #expect(ModelFile.form(forPath: "model.json") == .json)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gannet-compact-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let document = try Self.documents()[2]
        try ModelFile.write(document, to: "\(directory)/m.gmodel")
        try ModelFile.write(document, to: "\(directory)/m.json")
        #expect(CompactModelFile.isCompact(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/m.gmodel"))))
        #expect(try String(contentsOfFile: "\(directory)/m.json", encoding: .utf8).hasPrefix("{"))
        #expect(try ModelFile.load("\(directory)/m.gmodel").id == ModelFile.load("\(directory)/m.json").id)
    }
}
