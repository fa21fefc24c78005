import Baselines
import Features
import FilterCore
import Foundation
import Runtime
import Testing

/// The default model, etc/gannet/model.gmodel, on mail unlike its training corpus (public ham
/// of 2002–2003 mailing lists): ordinary notes between people, plain and HTML, must pass,
/// and a plain credential phish must not — with baselines off (as `gannet score` runs) and
/// at cold start, when a fresh baselines store answers that it knows nobody yet.
@Suite struct ShippedModelTests {
    static let fixtures = TestTools.packageRoot.appendingPathComponent("Tests/IntegrationTests/Fixtures")
    static let model = TestTools.packageRoot.appendingPathComponent("etc/gannet/model.gmodel").path

    enum Baselines: CaseIterable {
        case off, coldStart
    }

    func decisions(_ folder: String, baselines: Baselines) throws -> [String: String] {
        switch baselines {
        case .off: try scoredDecisions(folder)
        case .coldStart: try coldStartDecisions(folder)
        }
    }

    /// Through `gannet score`, which looks up no baselines.
    func scoredDecisions(_ folder: String) throws -> [String: String] {
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

    /// The daemon's inline pass (and the full pass for a deferred message) with the
    /// behaviour features a fresh embedded store gives: answered, nothing known, every
    /// recipient a first contact.
    func coldStartDecisions(_ folder: String) throws -> [String: String] {
        var config = GannetConfig()
        config.detection.modelPath = Self.model
        let snapshot = try DetectionLoader.snapshot(config)
        let directory = Self.fixtures.appendingPathComponent(folder)
        var decisions: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let message = RawMessage(bytes: [UInt8](try Data(contentsOf: directory.appendingPathComponent(file))))
            let evidence = MilterReplay(deriving: message).run(message, snapshot: snapshot).outcome.evidence
            let signals = EmbeddedBaselineStore().signals(for: BaselineQuery(
                envelopeSender: evidence.envelopeSender?.description ?? "", fromAddress: evidence.headerFrom?.description ?? "",
                recipients: evidence.recipients.map(\.description), at: 1_767_225_600))
            #expect(signals[.baselinesAnswered] == 1 && signals[.pairFirstContactShare] == 1)
            #expect(signals[.senderKnown] == 0 && signals[.domainKnown] == 0 && signals[.displayNameKnown] == 0)
            let envelope = MessageEnvelope(sender: evidence.envelopeSender?.description ?? "", recipients: evidence.recipients.map(\.description))
            var inline = message.extract(settings: snapshot.features, pass: .inline(byteBudget: snapshot.policy.inlineByteBudget),
                                         envelope: envelope, skipping: snapshot.policy.verdictHeaderName).vector
            signals.write(into: &inline)
            var verdict = snapshot.engine.verdict(for: evidence, features: inline, pass: .inline)
            if verdict.decision == .defer {
                var full = message.fullFeatures(evidence: evidence, snapshot: snapshot)
                signals.write(into: &full)
                verdict = snapshot.engine.verdict(for: evidence, features: full, pass: .full)
            }
            decisions[file] = verdict.decision.rawValue
        }
        return decisions
    }

    @Test(arguments: Baselines.allCases) func ordinaryMailBetweenPeopleIsAccepted(baselines: Baselines) throws {
        let decisions = try decisions("ordinary-mail", baselines: baselines)
        #expect(decisions.count == 6)
        for (file, decision) in decisions { #expect(decision == "accept", "\(file)") }
    }

    @Test(arguments: Baselines.allCases) func aCredentialPhishIsQuarantined(baselines: Baselines) throws {
        #expect(try decisions("phishing", baselines: baselines) == ["m365.eml": "quarantine"])
    }
}
