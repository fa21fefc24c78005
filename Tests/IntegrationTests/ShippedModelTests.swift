import Foundation
import Testing

/// The default model, etc/gannet/model.json, on mail unlike its training corpus (public ham
/// of 2002–2003 mailing lists): ordinary notes between people, plain and HTML, must pass,
/// and a plain credential phish must not.
@Suite struct ShippedModelTests {
    static let fixtures = TestTools.packageRoot.appendingPathComponent("Tests/IntegrationTests/Fixtures")
    static let model = TestTools.packageRoot.appendingPathComponent("etc/gannet/model.json").path

    func decisions(_ folder: String) throws -> [String: String] {
        let directory = Self.fixtures.appendingPathComponent(folder).path
        let result = try Command.run(TestTools.gannetBinary, ["score", "--model", Self.model, "--json", directory])
        #expect(result.status == 0, "\(result.combined)")
        var decisions: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let path = try #require(object["path"] as? String)
            decisions[URL(fileURLWithPath: path).lastPathComponent] = object["decision"] as? String
        }
        return decisions
    }

    @Test func ordinaryMailBetweenPeopleIsAccepted() throws {
        let decisions = try decisions("ordinary-mail")
        #expect(decisions.count == 6)
        for (file, decision) in decisions { #expect(decision == "accept", "\(file)") }
    }

    @Test func aCredentialPhishIsQuarantined() throws {
        #expect(try decisions("phishing") == ["m365.eml": "quarantine"])
    }
}
