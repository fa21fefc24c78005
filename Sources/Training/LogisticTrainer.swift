import Detection
import Features
import Foundation

/// Logistic regression over standardised dense features and hashed n-gram presence, trained
/// by mini-batch gradient descent with L2 regularisation; deterministic for a seed.
public struct LogisticTrainer: Sendable {
    public var epochs = 12
    public var learningRate = 0.05
    public var l2 = 1e-4
    public var batchSize = 32
    public var seed: UInt64 = 1
    /// Only these features are used (the inline model gets the inline-cheap ones).
    public var features: [Feature]

    public init(features: [Feature]) {
        self.features = features
    }

    public func train(_ examples: [TrainingExample]) -> LinearModelDocument {
        let count = Double(max(1, examples.count))
        var means = [Double](repeating: 0, count: features.count)
        var scales = [Double](repeating: 0, count: features.count)
        for example in examples {
            for (slot, feature) in features.enumerated() { means[slot] += example.vector[feature] / count }
        }
        for example in examples {
            for (slot, feature) in features.enumerated() { scales[slot] += pow(example.vector[feature] - means[slot], 2) / count }
        }
        scales = scales.map { $0 > 1e-12 ? sqrt($0) : 1 }
        var weights = [Double](repeating: 0, count: features.count)
        var ngramWeights: [UInt32: Double] = [:]
        var bias = 0.0
        var order = Array(examples.indices)
        var random = SeededRandom(seed: seed)
        for epoch in 0..<epochs {
            order.shuffle(using: &random)
            let rate = learningRate / (1 + Double(epoch) * 0.5)
            for start in stride(from: 0, to: order.count, by: batchSize) {
                var gradient = [Double](repeating: 0, count: features.count)
                var ngramGradient: [UInt32: Double] = [:]
                var biasGradient = 0.0
                let batch = order[start..<min(order.count, start + batchSize)]
                for index in batch {
                    let example = examples[index]
                    var logit = bias
                    for (slot, feature) in features.enumerated() { logit += weights[slot] * (example.vector[feature] - means[slot]) / scales[slot] }
                    for ngram in example.vector.ngrams { logit += ngramWeights[ngram.bucket] ?? 0 }
                    let error = 1 / (1 + exp(-logit)) - (example.isAttack ? 1 : 0)
                    biasGradient += error
                    for (slot, feature) in features.enumerated() { gradient[slot] += error * (example.vector[feature] - means[slot]) / scales[slot] }
                    for ngram in example.vector.ngrams { ngramGradient[ngram.bucket, default: 0] += error }
                }
                let size = Double(batch.count)
                bias -= rate * biasGradient / size
                for slot in weights.indices { weights[slot] -= rate * (gradient[slot] / size + l2 * weights[slot]) }
                for (bucket, value) in ngramGradient {
                    let current = ngramWeights[bucket] ?? 0
                    ngramWeights[bucket] = current - rate * (value / size + l2 * current)
                }
            }
        }
        var document = LinearModelDocument(bias: bias, weights: [:], means: [:], scales: [:], ngramWeights: [:])
        for (slot, feature) in features.enumerated() where abs(weights[slot]) > 1e-9 {
            let name = FeatureSchema.definitions[feature.rawValue].name
            document.weights[name] = weights[slot]
            document.means?[name] = means[slot]
            document.scales?[name] = scales[slot]
        }
        // Tiny n-gram weights only make the file big.
        for (bucket, weight) in ngramWeights where abs(weight) > 1e-3 { document.ngramWeights?[String(bucket)] = weight }
        return document
    }
}

/// SplitMix64, for reproducible shuffles.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
