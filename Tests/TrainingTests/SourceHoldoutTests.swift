import Detection
import FilterCore
import Foundation
import Testing
import Training

/// Leave-one-source-out: each ham family is held out of training and judged on its own ham.
@Suite struct SourceHoldoutTests {
    /// Ham from two families: notes about builds from a list, and account notices from a
    /// service that link to an IP-literal status page as phishing links to its login page. Every tenth
    /// message of each kind is in the test split.
    static func corpus(in directory: String) throws -> [CorpusEntry] {
        let kinds: [(label: String, source: String, body: (Int) -> String)] = [
            ("ham", "lists/dev", { "Notes on build \($0): the release branch is green and the planning meeting moves to Friday.\n" }),
            ("ham", "notices", { "Your account \($0) is fine: see the status page at http://203.0.113.\($0 % 250)/status today.\n" }),
            ("phish", "pot", { "Your account is suspended. Verify your password at http://198.51.100.\($0 % 250)/login today.\n" }),
        ]
        var entries: [CorpusEntry] = []
        for (kindIndex, kind) in kinds.enumerated() {
            for index in 0..<(kind.label == "phish" ? 120 : 60) {
                let path = "\(directory)/\(kindIndex)-\(index).eml"
                try "From: sender\(index)@\(kind.source.replacingOccurrences(of: "/", with: "-")).example\nSubject: note \(index)\n\n\(kind.body(index))"
                    .write(toFile: path, atomically: true, encoding: .utf8)
                entries.append(CorpusEntry(location: path, label: kind.label, source: kind.source, split: index % 10 == 0 ? "test" : "train"))
            }
        }
        return entries
    }

    @Test func familiesGroupSourcesOfOneOrigin() {
        #expect(SourceHoldout.family("spamassassin/easy-ham-1") == "spamassassin")
        #expect(SourceHoldout.family("usrp-users") == "usrp-users")
    }

    @Test func eachHamFamilyIsHeldOutAndJudgedOnItsOwnHam() throws {
        let directory = NSTemporaryDirectory() + "gannet-holdout-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let entries = try Self.corpus(in: directory)
        let snapshot = FilterSnapshot(policy: FilterPolicy(), engine: DetectionEngine(lists: .empty))
        var trainer = ModelTrainer(settings: snapshot.features, inlineByteBudget: 1 << 16)
        trainer.tenantStream = nil
        let holdout = SourceHoldout(trainer: trainer, snapshot: snapshot)
        #expect(holdout.families(entries) == ["lists", "notices"])
        let folds = holdout.run(entries, created: "2026-12-04T00:00:00Z")
        #expect(folds.map(\.heldOut) == ["lists", "notices"])
        for fold in folds {
            // All of the family's ham is scored, none of it trained on; the test attacks are scored.
            #expect(fold.hamMessages == 60)
            #expect(fold.trainingMessages == 54 + 108)
            #expect(fold.attackMessages == 12)
        }
        // Notices that link like phishing are the family the model cannot spare once it has
        // never seen them.
        let notices = try #require(folds.last)
        #expect(SourceHoldout.worst(folds)?.heldOut == "notices")
        #expect(notices.hamQuarantined > 0)
        #expect(notices.scoreThresholdAtOneInAThousand > folds[0].scoreThresholdAtOneInAThousand)
        #expect(SourceHoldout.table(folds).contains("notices *"))
    }

    @Test func aThresholdFloorRaisesTheShippedThresholds() throws {
        let directory = NSTemporaryDirectory() + "gannet-floor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let entries = try Self.corpus(in: directory).filter { $0.split == "train" }
        var trainer = ModelTrainer(settings: .init(), inlineByteBudget: 1 << 16)
        trainer.tenantStream = nil
        trainer.minimumQuarantineThreshold = 0.999
        let thresholds = trainer.train(entries, created: "2026-12-04T00:00:00Z").document.thresholds
        #expect(thresholds.quarantine >= 0.999 && (thresholds.fullQuarantine ?? 0) >= 0.999)
    }
}
