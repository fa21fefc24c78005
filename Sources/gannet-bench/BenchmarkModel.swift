import Detection
import Features

/// A model of realistic size for timing the decision (not for deciding anything): a tree
/// ensemble of `trees` full trees of `depth` over random features with random thresholds,
/// plus a linear full model with every feature and `ngrams` n-gram weights. Deterministic.
enum BenchmarkModel {
    static func document(trees: Int = 300, depth: Int = 6, ngrams: Int = 20_000) -> ModelDocument {
        var state: UInt64 = 0x6761_6E6E_6574
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        let names = FeatureSchema.definitions.map(\.name)
        var ensemble: [TreeDocument] = []
        for _ in 0..<trees {
            let nodes = (1 << (depth + 1)) - 1
            var feature: [String] = [], threshold: [Double] = [], left: [Int] = [], right: [Int] = [], value: [Double] = []
            for node in 0..<nodes {
                let isLeaf = 2 * node + 1 >= nodes
                feature.append(isLeaf ? "" : names[Int(next() % UInt64(names.count))])
                threshold.append(isLeaf ? 0 : unit() * 3)
                left.append(isLeaf ? -1 : 2 * node + 1)
                right.append(isLeaf ? -1 : 2 * node + 2)
                value.append((unit() - 0.5) * 0.2)
            }
            ensemble.append(TreeDocument(feature: feature, threshold: threshold, left: left, right: right, value: value))
        }
        var weights: [String: Double] = [:]
        for name in names { weights[name] = unit() - 0.5 }
        var ngramWeights: [String: Double] = [:]
        for _ in 0..<ngrams { ngramWeights[String(next() % UInt64(TextNGrams.bucketCount))] = unit() - 0.5 }
        return ModelDocument(
            id: "benchmark", created: "2026-11-25T00:00:00Z", featureSchema: FeatureSchema.digest, trainingData: "synthetic",
            thresholds: .init(quarantine: 0.9, accept: 0.3),
            inline: .trees(TreeEnsembleDocument(baseScore: -2, trees: ensemble)),
            full: .linear(LinearModelDocument(bias: -2, weights: weights, ngramWeights: ngramWeights))
        )
    }
}
