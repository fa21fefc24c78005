import Baselines
import Detection
import Features
import FilterCore
import Testing

/// The milter's end of message with a baselines store: behaviour features reach the model,
/// and the outcome says what the decision teaches.
@Suite struct BaselineFilterTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_767_225_600

    /// Scores only behaviour: an impersonation (known name, new address) is quarantined, an
    /// unknown sender deferred (log-odds 0, between the thresholds), a known one accepted.
    static let behaviourSnapshot: FilterSnapshot = {
        let document = ModelDocument(
            id: "behaviour-1", created: "2026-11-25T00:00:00Z", featureSchema: FeatureSchema.digest, trainingData: "none",
            thresholds: .init(quarantine: 0.9, accept: 0.3),
            inline: .linear(LinearModelDocument(bias: 0, weights: ["display_name_new_address": 8, "sender_known": -8])))
        return FilterSnapshot(policy: FilterPolicy(), engine: DetectionEngine(lists: .empty, model: try! CompiledModel(document)),
                              features: FeatureSettings(internalDomains: ["corp.example"]))
    }()

    /// Six weeks of Dana writing from her own address.
    func storeKnowingDana() -> EmbeddedBaselineStore {
        var settings = BaselineSettings()
        settings.internalDomains = ["corp.example"]
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings))
        for week in 0..<6 {
            store.learn(BaselineObservation(message: BaselineQuery(envelopeSender: "dana@corp.example", fromAddress: "dana@corp.example", fromDisplayName: "Dana Whitfield",
                                                                   recipients: ["finance@corp.example"], at: Self.start + Int64(week) * 7 * Self.day), outcome: .clean))
        }
        return store
    }

    func message(from: String) -> RawMessage {
        RawMessage(bytes: Array("From: \(from)\r\nTo: finance@corp.example\r\nSubject: quick favour\r\n\r\nAre you at your desk?\r\n".utf8))
    }

    func replay(sender: String, originating: Bool = false) -> MilterReplay {
        var replay = MilterReplay(envelopeSender: "<\(sender)>", recipients: ["<finance@corp.example>"], queueID: "4BCD1")
        replay.receivedAt = Self.start + 50 * Self.day
        replay.originating = originating
        return replay
    }

    @Test func aKnownNameFromANewAddressIsQuarantinedOnBehaviourAlone() throws {
        let store = storeKnowingDana()
        let result = replay(sender: "dana.whitfield@freemail.example").run(message(from: "Dana Whitfield <dana.whitfield@freemail.example>"),
                                                                          snapshot: Self.behaviourSnapshot, baselines: store)
        let features = try #require(result.outcome.features)
        #expect(features[.displayNameNewAddress] == 1)
        #expect(features[.baselinesAnswered] == 1)
        #expect(result.outcome.verdict?.decision == .quarantine)
        // Quarantined inline: the decision is final and teaches a flagged lesson.
        #expect(result.outcome.lesson?.outcome == .flagged)
        #expect(result.outcome.lesson?.message.fromDisplayName == "Dana Whitfield")
        #expect(result.outcome.lesson?.message.at == Self.start + 50 * Self.day)
    }

    @Test func withoutAStoreTheBehaviourBlockStaysZero() throws {
        let result = replay(sender: "dana.whitfield@freemail.example").run(message(from: "Dana Whitfield <dana.whitfield@freemail.example>"), snapshot: Self.behaviourSnapshot)
        let features = try #require(result.outcome.features)
        #expect(Feature.behaviour.allSatisfy { features[$0] == 0 })
        #expect(result.outcome.lesson == nil)
    }

    @Test func anInlineAcceptTeachesACleanLesson() throws {
        let store = storeKnowingDana()
        let result = replay(sender: "dana@corp.example", originating: true).run(message(from: "Dana Whitfield <dana@corp.example>"), snapshot: Self.behaviourSnapshot, baselines: store)
        #expect(result.outcome.features?[.senderKnown] == 1)
        #expect(result.outcome.verdict?.decision == .accept)
        let lesson = try #require(result.outcome.lesson)
        #expect(lesson.outcome == .clean)
        #expect(lesson.message == BaselineQuery(envelopeSender: "dana@corp.example", fromAddress: "dana@corp.example", fromDisplayName: "Dana Whitfield",
                                                recipients: ["finance@corp.example"], at: Self.start + 50 * Self.day))
    }

    @Test func mailInAnInternalNameTeachesOnlyFromAnOriginatingService() {
        let store = storeKnowingDana()
        let forged = replay(sender: "dana@corp.example").run(message(from: "Dana Whitfield <dana@corp.example>"), snapshot: Self.behaviourSnapshot, baselines: store)
        #expect(forged.outcome.verdict?.decision == .accept)
        #expect(forged.outcome.lesson == nil)
    }

    @Test func aDeferredMessageCarriesItsPartiesToTheFullVerdict() throws {
        let store = storeKnowingDana()
        let result = replay(sender: "someone@newcomer.example").run(message(from: "Someone <someone@newcomer.example>"), snapshot: Self.behaviourSnapshot, baselines: store)
        #expect(result.outcome.inlineDecision == .defer)
        #expect(result.outcome.lesson == nil)
        let parties = try #require(result.outcome.deferred?.parties)
        #expect(parties.fromAddress == "someone@newcomer.example" && parties.recipients == ["finance@corp.example"])
    }

    @Test func aHugeDisplayNameIsCutBeforeItIsQueued() throws {
        let name = String(repeating: "Pat Vendor ", count: 2_000)
        let result = replay(sender: "pat@vendor.example").run(message(from: "\"\(name)\" <pat@vendor.example>"), snapshot: Self.behaviourSnapshot,
                                                              baselines: storeKnowingDana())
        let parties = try #require(result.outcome.lesson?.message ?? result.outcome.deferred?.parties)
        #expect(parties.fromDisplayName.count == 512)
    }
}
