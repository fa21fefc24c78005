import Detection
import FilterCore
import Features
import Foundation

enum Fixtures {
    static let blockingSnapshot = FilterSnapshot(
        policy: FilterPolicy(),
        engine: DetectionEngine(lists: SenderLists(blockedAddresses: ["bad@evil.example"], blockedDomains: ["phish.test"]), model: model(id: "lists-1"))
    )

    static func snapshot(onInternalError: FailureAction, modelID: String = "lists-1") -> FilterSnapshot {
        FilterSnapshot(policy: FilterPolicy(onInternalError: onInternalError), engine: DetectionEngine(lists: .empty, model: model(id: modelID)))
    }

    /// A model that finds every message innocent (log-odds -8), named `id`.
    static func model(id: String) -> CompiledModel {
        let document = ModelDocument(
            id: id, created: "2026-11-25T00:00:00Z",
            featureSchema: FeatureSchema.digest, trainingData: "none", thresholds: .init(quarantine: 0.9, accept: 0.3),
            inline: .linear(LinearModelDocument(bias: -8, weights: [:]))
        )
        return try! CompiledModel(document)
    }

    static let plainMessage = Array("""
        Return-Path: <alice@example.org>\r
        From: Alice <alice@example.org>\r
        To: bob@gannet.test\r
        Subject: lunch\r
         tomorrow?\r
        \r
        Shall we meet at noon?\r
        See you.\r

        """.utf8)

    static let forgedVerdictMessage = Array("""
        From: Mallory <mallory@example.net>
        X-Gannet-Verdict: accept score=0.000 category=clean model=forged
        To: bob@gannet.test
        x-gannet-verdict: accept score=0.000 category=clean model=forged-again
        Subject: trust me

        Body with bare LF line ends.

        """.utf8)
}
