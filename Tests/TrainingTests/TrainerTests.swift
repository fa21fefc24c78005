import Detection
import Features
import FilterCore
import Foundation
import Testing
import Training

@Suite struct TrainerTests {
    /// Attacks have an IP-literal link and more than three links; ham has neither.
    static func examples(count: Int) -> [TrainingExample] {
        (0..<count).map { index in
            var vector = FeatureVector()
            let attack = index % 3 == 0
            vector[.urlIPHost] = attack ? 1 : 0
            vector[.urlCount] = attack ? Double(4 + index % 5) : Double(index % 4)
            vector[.textBytes] = Double(index % 7)
            return TrainingExample(vector: vector, isAttack: attack, location: "m\(index)")
        }
    }

    @Test func logisticRegressionLearnsASeparableProblemDeterministically() throws {
        let data = Self.examples(count: 300)
        let trainer = LogisticTrainer(features: [.urlIPHost, .urlCount, .textBytes])
        let document = trainer.train(data)
        #expect(document.weights["url_ip_host"]! > 0.5)
        let model = try CompiledModel(ModelDocument(id: "t", created: "c", featureSchema: FeatureSchema.digest, trainingData: "d",
                                                     thresholds: .init(quarantine: 0.5, accept: 0.5), inline: .linear(document)))
        for example in data { #expect((model.scoreInline(example.vector).probability >= 0.5) == example.isAttack) }
        #expect(trainer.train(data) == document)
    }

    @Test func boostedTreesFindTheSplitAndStopEarly() throws {
        let data = Self.examples(count: 600)
        let result = BoostedTreesTrainer(features: [.urlCount, .textBytes]).train(Array(data.prefix(480)), validation: Array(data.suffix(120)))
        let first = try #require(result.document.trees.first)
        #expect(first.feature[0] == "url_count")
        #expect(first.threshold[0] > 3 && first.threshold[0] < 4)
        #expect(result.roundsKept < 300)
        let model = try CompiledModel(ModelDocument(id: "t", created: "c", featureSchema: FeatureSchema.digest, trainingData: "d",
                                                     thresholds: .init(quarantine: 0.5, accept: 0.5), inline: .trees(result.document)))
        for example in data { #expect((model.scoreInline(example.vector).probability >= 0.5) == example.isAttack) }
        #expect(BoostedTreesTrainer(features: [.urlCount, .textBytes]).train(Array(data.prefix(480)), validation: Array(data.suffix(120))).document == result.document)
    }

    /// Attacks have 2–4 links and ham 0–2; with two, only the text tells them apart: attacks
    /// say "bucket 5" three times, ham "bucket 9". Some messages say neither, never with two
    /// links. Right answers everywhere need the text's verdict and the link count together.
    @Test func stackedTreesUseTheTextScoreBesideTheFeatures() throws {
        let data = (0..<600).map { index in
            var vector = FeatureVector()
            let attack = index % 2 == 0
            vector[.urlCount] = Double((attack ? 2 : 0) + index % 3)
            // Both words occur on both sides (the text model weighs only shared words), each
            // mostly on one.
            if vector[.urlCount] == 2 || index % 5 > 0 {
                vector.ngrams = [NGramCount(bucket: attack ? 5 : 9, count: 3)] + (index % 7 == 0 ? [NGramCount(bucket: attack ? 9 : 5, count: 1)] : [])
            }
            return TrainingExample(vector: vector, isAttack: attack, location: "m\(index)")
        }
        let trainer = StackedTrainer(features: [.urlCount])
        let result = trainer.train(Array(data.prefix(480)), validation: Array(data.suffix(120)))
        #expect(result.document.trees.trees.contains { $0.feature.contains(StackedModelDocument.textInput) })
        #expect(result.document.text.ngramScaling == .logCount)
        let model = try CompiledModel(ModelDocument(id: "t", created: "c", featureSchema: FeatureSchema.digest, trainingData: "d",
                                                     thresholds: .init(quarantine: 0.5, accept: 0.5), inline: .stacked(result.document)))
        for example in data { #expect((model.scoreInline(example.vector).probability >= 0.5) == example.isAttack) }
        #expect(trainer.train(Array(data.prefix(480)), validation: Array(data.suffix(120))).document == result.document)
    }

    /// In this corpus ham has many links and attacks few; a tree bound to "more links may only
    /// raise the score" must not learn that few links are suspicious.
    @Test func monotoneTreesNeverScoreLessOfASignHigher() throws {
        let data = (0..<400).map { index in
            var vector = FeatureVector()
            let attack = index % 2 == 0
            vector[.urlCount] = attack ? Double(index % 3) : Double(3 + index % 5)
            vector[.urlIPHost] = attack && index % 4 == 0 ? 1 : 0
            return TrainingExample(vector: vector, isAttack: attack, location: "m\(index)")
        }
        var trainer = BoostedTreesTrainer(features: [.urlCount, .urlIPHost])
        let free = trainer.train(Array(data.prefix(320)), validation: Array(data.suffix(80)))
        trainer.monotone = [.urlCount: 1, .urlIPHost: 1]
        let bound = trainer.train(Array(data.prefix(320)), validation: Array(data.suffix(80)))
        func scores(_ ensemble: TreeEnsembleDocument, ipHost: Double) throws -> [Double] {
            let model = try CompiledModel(ModelDocument(id: "t", created: "c", featureSchema: FeatureSchema.digest, trainingData: "d",
                                                         thresholds: .init(quarantine: 0.5, accept: 0.5), inline: .trees(ensemble)))
            return (0...8).map { links in
                var vector = FeatureVector()
                vector[.urlCount] = Double(links)
                vector[.urlIPHost] = ipHost
                return model.scoreInline(vector).logit
            }
        }
        // Unconstrained, the corpus teaches "few links, attack"; bound, the score may not fall.
        #expect(try scores(free.document, ipHost: 0).first! > scores(free.document, ipHost: 0).last!)
        for ipHost in [0.0, 1.0] {
            let curve = try scores(bound.document, ipHost: ipHost)
            for (lower, higher) in zip(curve, curve.dropFirst()) { #expect(lower <= higher + 1e-12) }
        }
        let withoutIP = try scores(bound.document, ipHost: 0), withIP = try scores(bound.document, ipHost: 1)
        for (without, with) in zip(withoutIP, withIP) { #expect(without <= with + 1e-12) }
    }

    @Test func thresholdsAndRecallMatchHandComputedValues() {
        let ham = [0.1, 0.2, 0.9]
        #expect(ThresholdCalibration.threshold(hamScores: ham, targetRate: 0) == 0.9.nextUp)
        #expect(ThresholdCalibration.threshold(hamScores: ham, targetRate: 0.34) == 0.2.nextUp)
        #expect(ThresholdCalibration.recall(attackScores: [0.95, 0.5, 0.91, 0.2], threshold: 0.9.nextUp) == 0.5)
        // A score cannot be cut above 1.0; log-odds can.
        #expect(ThresholdCalibration.threshold(hamScores: [1, 0.1], targetRate: 0) == 1)
        #expect(ThresholdCalibration.logOddsThreshold(hamLogOdds: [42, -2], targetRate: 0) == 42.0.nextUp)
        #expect(ThresholdCalibration.logOddsThreshold(hamLogOdds: [], targetRate: 0.01) == 0)
    }

    @Test func confidentThresholdsLetThroughOnlyWhatTheHamCountCanVouchFor() {
        // The classic bounds: 0 events → 3.00, 1 → 4.74, 10 → 16.96.
        #expect(abs(ThresholdCalibration.poissonUpperBound(0) - 2.996) < 0.01)
        #expect(abs(ThresholdCalibration.poissonUpperBound(1) - 4.744) < 0.01)
        #expect(abs(ThresholdCalibration.poissonUpperBound(10) - 16.962) < 0.01)
        // 2,840 ham cannot show 0.1% (they would need 3,000 with none above): none may pass,
        // where the plain quantile lets two through.
        let ham = (0..<2_840).map { Double($0) / 2_840 }
        #expect(ThresholdCalibration.confidentThreshold(hamScores: ham, targetRate: 0.001) == ham.max()!.nextUp)
        #expect(ThresholdCalibration.threshold(hamScores: ham, targetRate: 0.001) == ham[2_837].nextUp)
        // 100,000 ham at 0.1%: the bound allows 83 above, not the quantile's 100.
        let many = (0..<100_000).map { Double($0) / 100_000 }
        #expect(ThresholdCalibration.poissonUpperBound(83) <= 100 && ThresholdCalibration.poissonUpperBound(84) > 100)
        #expect(ThresholdCalibration.confidentThreshold(hamScores: many, targetRate: 0.001) == many[100_000 - 84].nextUp)
    }
}

@Suite struct EvaluationMetricsTests {
    @Test func aucAndRecallAtFalsePositiveRateMatchHandComputedValues() {
        // Pairs: (0.9>0.1)(0.9>0.4)(0.3>0.1)(0.3<0.4)(0.4=0.4 → half) over 3×2 pairs… computed by hand: 4.5/6.
        let attacks = [0.9, 0.3, 0.4], ham = [0.1, 0.4]
        #expect(abs(EvaluationMetrics.rocAUC(attacks: attacks, ham: ham) - 4.5 / 6) < 1e-12)
        #expect(EvaluationMetrics.rocAUC(attacks: [0.9], ham: [0.1]) == 1)
        #expect(EvaluationMetrics.recall(attacks: attacks, ham: ham, atFalsePositiveRate: 0) == 1.0 / 3.0)
        #expect(EvaluationMetrics.recall(attacks: attacks, ham: ham, atFalsePositiveRate: 0.5) == 1.0)
        #expect(EvaluationMetrics.rocCurve(attacks: [0.9], ham: [0.1]).map { [$0.falsePositiveRate, $0.recall] } == [[0, 0], [0, 1], [1, 1]])
        // Thresholds 0.9, 0.4, 0.3, 0.1: (1/3, 1), (2/3, 2/3: 0.4 and 0.9 caught, ham 0.4 too), (1, 3/4), (1, 3/5).
        let curve: [[Double]] = EvaluationMetrics.precisionRecallCurve(attacks: attacks, ham: ham).map { [$0.recall, $0.precision] }
        let expected: [[Double]] = [[1.0 / 3, 1], [2.0 / 3, 2.0 / 3], [1, 3.0 / 4], [1, 3.0 / 5]]
        #expect(curve == expected)
    }
}

@Suite struct EvaluationCategoryTests {
    /// The manifest's category is ground truth; without one, the heuristic names it.
    @Test func aManifestCategoryOverridesTheHeuristic() throws {
        let path = NSTemporaryDirectory() + "gannet-category-\(UUID().uuidString).eml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "From: PayPal <service@paypa1-secure.example>\nTo: a@gannet.test\nSubject: verify\n\nVerify your password at http://198.51.100.7/login now.\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let evaluation = Evaluation(snapshot: FilterSnapshot(policy: FilterPolicy(), engine: DetectionEngine(lists: .empty)))
        let outcomes = evaluation.outcomes([CorpusEntry(location: path, label: "phish", source: "pot", category: "bec"), CorpusEntry(location: path, label: "phish")])
        #expect(outcomes.map(\.category) == ["bec", "phishing"])
        #expect(outcomes.map(\.source) == ["pot", ""])
    }
}

@Suite struct ModelTrainerTests {
    /// Ham about meetings and releases; phishing about suspended accounts with IP-literal
    /// login links. A few ham messages talk about accounts too.
    static func corpus(in directory: String) throws -> [CorpusEntry] {
        let topics = ["planning meeting", "release notes", "lunch order", "build failure", "budget review"]
        return try (0..<200).map { index in
            let phish = index % 2 == 1
            let body = phish
                ? "Your account is suspended. Verify your password at http://198.51.100.\(index % 250)/login today.\n"
                : "Notes on the \(topics[index % 5]) number \(index)\(index % 10 == 0 ? ", and your account for the wiki" : "").\n"
            let path = "\(directory)/m\(index).eml"
            try "From: \(phish ? "security" : "colleague")\(index)@example.org\nSubject: \(phish ? "action required" : topics[index % 5])\n\n\(body)"
                .write(toFile: path, atomically: true, encoding: .utf8)
            return CorpusEntry(location: path, label: phish ? "phish" : "ham")
        }
    }

    @Test func foldsGiveOneStackedScorerPerPassWithThresholdsFromOutOfFoldHam() throws {
        let directory = NSTemporaryDirectory() + "gannet-train-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let entries = try Self.corpus(in: directory)
        let trainer = ModelTrainer(settings: FeatureSettings(), inlineByteBudget: 1 << 16)
        let report = trainer.train(entries, created: "2026-11-25T00:00:00Z")
        #expect(report.trainingMessages == 200 && report.skipped == 0)
        // 100 ham at a 0.1% target: no ham may reach the threshold.
        #expect(report.outOfFoldFalsePositiveRate == 0)
        #expect(report.outOfFoldRecall > 0.9)
        guard case .stacked(let inline) = report.document.inline, case .stacked(let full)? = report.document.full else {
            Issue.record("expected stacked scorers")
            return
        }
        #expect(!(inline.text.ngramWeights ?? [:]).isEmpty && !(full.text.ngramWeights ?? [:]).isEmpty)
        let model = try CompiledModel(report.document)
        #expect(model.thresholds.accept <= model.thresholds.quarantine)
        #expect(trainer.train(entries, created: "2026-11-25T00:00:00Z").document == report.document)
    }
}
