import Detection
import FilterCore
import Foundation

/// Leave-one-source-out evaluation. Ham of one origin resembles itself, so a test split of a
/// source the model trained on says little about mail of a kind it has never seen. For each
/// ham source family that the training split holds, a model is trained without any of that
/// family's messages (ham or attacks) and scored, through the daemon's own path, on all of the
/// family's ham and on the test split's attacks. A model is judged by its worst fold.
public struct SourceHoldout: Sendable {
    public var trainer: ModelTrainer
    /// The detection snapshot (lists, rules, policy) each fold's model is scored in.
    public var snapshot: FilterSnapshot
    public var trainingSplit = "train"
    public var testSplit = "test"
    public init(trainer: ModelTrainer, snapshot: FilterSnapshot) {
        self.trainer = trainer
        self.snapshot = snapshot
    }

    /// One held-out family's figures.
    public struct Fold: Codable, Sendable, Equatable {
        /// The family held out ("spamassassin" for spamassassin/easy-ham-1 and easy-ham-2).
        public let heldOut: String
        public let model: String
        public let trainingMessages: Int
        public let hamMessages: Int
        /// Held-out ham quarantined at the fold model's own thresholds.
        public let hamQuarantined: Int
        public let attackMessages: Int
        /// Test attacks quarantined at the fold model's own thresholds.
        public let attackRecallAtModelThresholds: Double
        /// Recall of the test attacks at the threshold (on log-odds) that lets this share of
        /// the held-out ham through (keys "0.01", "0.001"). Under 1,000 ham, 0.1% lets none.
        public let recallAtFalsePositiveRate: [String: Double]
        /// The lowest score (0…1) that keeps the held-out ham's false positives at 0.1%.
        public let scoreThresholdAtOneInAThousand: Double
    }

    /// The family a source belongs to: its name up to the first "/".
    public static func family(_ source: String) -> String {
        String(source.prefix { $0 != "/" })
    }

    /// The families whose ham the training split holds, in order of name.
    public func families(_ entries: [CorpusEntry]) -> [String] {
        Set(entries.filter { $0.split == trainingSplit && $0.label == "ham" }.map { Self.family($0.source) }).sorted()
    }

    /// Every fold, in order of family; `created` stamps the fold models.
    public func run(_ entries: [CorpusEntry], created: String, progress: @Sendable (String) -> Void = { _ in }) -> [Fold] {
        let training = trainer.extract(entries.filter { $0.split == trainingSplit }, progress: progress)
        return families(entries).map { family in
            progress("holding out \(family)")
            let kept = training.entries.indices.filter { Self.family(training.entries[$0].source) != family }
            let corpus = ExtractedCorpus(entries: kept.map { training.entries[$0] }, messages: kept.map { training.messages[$0] })
            let report = trainer.train(corpus, created: created, progress: progress)
            let model = try! CompiledModel(report.document)
            let engine = DetectionEngine(lists: snapshot.engine.lists, model: model, rules: snapshot.engine.rules, policy: snapshot.engine.policy)
            let evaluation = Evaluation(snapshot: FilterSnapshot(policy: snapshot.policy, engine: engine, features: snapshot.features))
            let scored = entries.filter { entry in
                entry.label == "ham" ? Self.family(entry.source) == family : entry.split == testSplit && !entry.label.isEmpty
            }
            return fold(family, model: report.document.id, trainingMessages: report.trainingMessages, outcomes: evaluation.outcomes(scored))
        }
    }

    func fold(_ family: String, model: String, trainingMessages: Int, outcomes: [Evaluation.Outcome]) -> Fold {
        let ham = outcomes.filter { $0.label == "ham" }, attacks = outcomes.filter { $0.label != "ham" }
        return Fold(
            heldOut: family, model: model, trainingMessages: trainingMessages, hamMessages: ham.count,
            hamQuarantined: ham.filter { $0.decision == "quarantine" }.count, attackMessages: attacks.count,
            attackRecallAtModelThresholds: attacks.isEmpty ? 0 : Double(attacks.filter { $0.decision == "quarantine" }.count) / Double(attacks.count),
            recallAtFalsePositiveRate: SourceFigures.recallAtFalsePositiveRates(attacks: attacks, ham: ham),
            scoreThresholdAtOneInAThousand: ThresholdCalibration.threshold(hamScores: ham.map(\.score), targetRate: 0.001)
        )
    }

    /// The fold whose held-out ham costs the most recall at 0.1% false positives (then the
    /// one with most ham quarantined).
    public static func worst(_ folds: [Fold]) -> Fold? {
        folds.min { lhs, rhs in
            let left = lhs.recallAtFalsePositiveRate["0.001"] ?? 0, right = rhs.recallAtFalsePositiveRate["0.001"] ?? 0
            return left != right ? left < right : lhs.hamQuarantined > rhs.hamQuarantined
        }
    }

    /// The folds as a text table, worst marked, for the terminal.
    public static func table(_ folds: [Fold]) -> String {
        let worst = worst(folds)?.heldOut
        var lines = ["held out        ham  quarantined  recall@fold-thresholds  recall@1%  recall@0.1%  score-for-0.1%"]
        for fold in folds {
            let name = fold.heldOut + (fold.heldOut == worst ? " *" : "")
            lines.append(name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: " %5d  %11d  %22.2f%%  %8.2f%%  %10.2f%%  %14.4f", fold.hamMessages, fold.hamQuarantined,
                         fold.attackRecallAtModelThresholds * 100, (fold.recallAtFalsePositiveRate["0.01"] ?? 0) * 100,
                         (fold.recallAtFalsePositiveRate["0.001"] ?? 0) * 100, fold.scoreThresholdAtOneInAThousand))
        }
        return lines.joined(separator: "\n") + "\n(* the worst held-out family)"
    }
}
