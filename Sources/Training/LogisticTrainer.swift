import Detection
import Features
import Foundation

/// Logistic regression over standardised dense features and hashed n-grams, trained
/// by mini-batch gradient descent with per-weight AdaGrad steps (rare n-grams still learn)
/// and L2 regularisation; deterministic for a seed.
public struct LogisticTrainer: Sendable {
    public var epochs = 20
    public var learningRate = 0.1
    public var l2 = 1e-5
    public var batchSize = 32
    public var seed: UInt64 = 1
    public var ngramScaling = LinearModelDocument.NGramScaling.logCount
    /// Only these features are used (the inline model gets the inline-cheap ones).
    public var features: [Feature]
    /// An n-gram carries weight only when at least this many ham and this many attack
    /// messages contain it. A word seen on one side only says more about the corpus than about
    /// attacks: with English-only ham, every German word would be a sign of attack, and a
    /// German newsletter would be held for its language. Unknown words are neutral instead.
    public var minimumMessagesPerClass = 5

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
        // Weights of the dense features, then one per n-gram bucket, then the bias.
        let ngramBase = features.count, biasSlot = features.count + Int(TextNGrams.bucketCount)
        let shared = sharedBuckets(examples)
        // Each example as sparse (weight slot, input) pairs, computed once for all epochs.
        let rows: [[(slot: Int, input: Double)]] = examples.map { example in
            var row = features.enumerated().map { (slot: $0.offset, input: (example.vector[$0.element] - means[$0.offset]) / scales[$0.offset]) }
            row += example.vector.ngrams.filter { shared[Int($0.bucket)] }
                .map { (slot: ngramBase + Int($0.bucket), input: ngramScaling.input(occurrences: $0.count)) }
            return row
        }
        var weights = [Double](repeating: 0, count: biasSlot + 1)
        var squaredGradients = [Double](repeating: 0, count: weights.count)
        var gradient = [Double](repeating: 0, count: weights.count)
        var touched: [Int] = [], isTouched = [Bool](repeating: false, count: weights.count)
        func accumulate(_ slot: Int, _ value: Double) {
            if !isTouched[slot] {
                isTouched[slot] = true
                touched.append(slot)
            }
            gradient[slot] += value
        }
        var order = Array(examples.indices)
        var random = SeededRandom(seed: seed)
        for _ in 0..<epochs {
            order.shuffle(using: &random)
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = order[start..<min(order.count, start + batchSize)]
                for index in batch {
                    var logit = weights[biasSlot]
                    for entry in rows[index] { logit += weights[entry.slot] * entry.input }
                    let error = (1 / (1 + exp(-logit)) - (examples[index].isAttack ? 1 : 0)) * examples[index].weight
                    for entry in rows[index] { accumulate(entry.slot, error * entry.input) }
                    accumulate(biasSlot, error)
                }
                let size = Double(batch.count)
                for slot in touched {
                    let step = gradient[slot] / size + (slot == biasSlot ? 0 : l2 * weights[slot])
                    squaredGradients[slot] += step * step
                    weights[slot] -= learningRate * step / (sqrt(squaredGradients[slot]) + 1e-8)
                    gradient[slot] = 0
                    isTouched[slot] = false
                }
                touched.removeAll(keepingCapacity: true)
            }
        }
        var document = LinearModelDocument(bias: weights[biasSlot], weights: [:], means: [:], scales: [:], ngramWeights: [:], ngramScaling: ngramScaling)
        for (slot, feature) in features.enumerated() where abs(weights[slot]) > 1e-9 {
            let name = FeatureSchema.definitions[feature.rawValue].name
            document.weights[name] = weights[slot]
            document.means?[name] = means[slot]
            document.scales?[name] = scales[slot]
        }
        // Tiny n-gram weights, and digits past the fifth decimal, only make the file big.
        for bucket in 0..<Int(TextNGrams.bucketCount) where abs(weights[ngramBase + bucket]) > 1e-3 {
            document.ngramWeights?[String(bucket)] = (weights[ngramBase + bucket] * 1e5).rounded() / 1e5
        }
        return document
    }
}

extension LogisticTrainer {
    /// Per bucket: whether enough ham and enough attack messages contain it. A message that
    /// trains twice (with and without baselines) counts once.
    func sharedBuckets(_ examples: [TrainingExample]) -> [Bool] {
        var ham = [Int32](repeating: 0, count: Int(TextNGrams.bucketCount)), attacks = ham
        var counted = Set<String>()
        for example in examples where counted.insert(example.location).inserted {
            for entry in example.vector.ngrams {
                if example.isAttack { attacks[Int(entry.bucket)] += 1 } else { ham[Int(entry.bucket)] += 1 }
            }
        }
        let minimum = Int32(minimumMessagesPerClass)
        return zip(ham, attacks).map { $0 >= minimum && $1 >= minimum }
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
