import Features

/// A linear model with its weights laid out in schema order.
struct CompiledLinearModel: Sendable {
    let bias: Double
    /// Per schema index: weight / scale, and the mean to subtract.
    let weights: [Double]
    let means: [Double]
    /// Weight per n-gram bucket, indexed directly (empty without n-grams): one array read
    /// per n-gram, where a hash lookup cost several times more.
    let ngramWeights: [Float]
    /// A bit per bucket, set where its weight is not zero. Most buckets have none, and this
    /// 32 KB stays in cache where a read of the 1 MB of weights would go to memory.
    let weightedBuckets: [UInt64]
    let ngramScaling: LinearModelDocument.NGramScaling

    init(_ document: LinearModelDocument, schema: [String: Int]) throws(ModelValidationError) {
        guard document.bias.isFinite else { throw ModelValidationError("linear bias is not finite") }
        var weights = [Double](repeating: 0, count: schema.count)
        var means = [Double](repeating: 0, count: schema.count)
        for (name, weight) in document.weights {
            guard let index = schema[name] else { throw ModelValidationError("linear weight for unknown feature '\(name)'") }
            let scale = document.scales?[name] ?? 1
            let mean = document.means?[name] ?? 0
            guard weight.isFinite, scale.isFinite, scale > 0, mean.isFinite, (weight / scale).isFinite else {
                throw ModelValidationError("linear weight, mean or scale of '\(name)' is not a finite number, or weight / scale is not (scale must be > 0)")
            }
            weights[index] = weight / scale
            means[index] = mean
        }
        var ngrams = [Float](repeating: 0, count: document.ngramWeights?.isEmpty == false ? Int(TextNGrams.bucketCount) : 0)
        for (bucketText, weight) in document.ngramWeights ?? [:] {
            guard let bucket = Self.canonicalBucket(bucketText), bucket < TextNGrams.bucketCount else {
                throw ModelValidationError("n-gram bucket '\(bucketText)' is not a plain decimal number below \(TextNGrams.bucketCount)")
            }
            guard Float(weight).isFinite else { throw ModelValidationError("n-gram weight of bucket \(bucket) is not a finite 32-bit number") }
            ngrams[Int(bucket)] = Float(weight)
        }
        self.bias = document.bias
        self.weights = weights
        self.means = means
        self.ngramWeights = ngrams
        var weighted = [UInt64](repeating: 0, count: ngrams.isEmpty ? 0 : Int(TextNGrams.bucketCount) / 64)
        for bucket in ngrams.indices where ngrams[bucket] != 0 { weighted[bucket >> 6] |= 1 << UInt64(bucket & 63) }
        self.weightedBuckets = weighted
        self.ngramScaling = document.ngramScaling ?? .presence
    }

    /// The number `text` writes in canonical decimal (digits without sign or leading zero,
    /// as `String(_:)` writes a UInt32), else nil: "+7" or "007" would name bucket 7 a second
    /// time, and one of the two weights would silently win. Read on bytes, not parsed and
    /// printed again for each of the model's n-grams.
    static func canonicalBucket(_ text: String) -> UInt32? {
        let digits = text.utf8
        guard let first = digits.first, first != 48 || digits.count == 1 else { return nil }
        var value: UInt32 = 0
        for digit in digits {
            guard digit >= 48, digit <= 57 else { return nil }
            let (tens, tensOverflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, sumOverflow) = tens.addingReportingOverflow(UInt32(digit - 48))
            guard !tensOverflow, !sumOverflow else { return nil }
            value = sum
        }
        return value
    }

    func score(_ vector: FeatureVector, explain: Bool) -> ModelScore {
        var logit = bias
        var contributions = explain ? [Double](repeating: 0, count: ModelScore.inputCount) : []
        for index in weights.indices where weights[index] != 0 {
            let contribution = weights[index] * (vector.values[index] - means[index])
            logit += contribution
            if explain { contributions[index] = contribution }
        }
        if !ngramWeights.isEmpty {
            var text = 0.0
            // The weights are read first, in a loop of independent reads that the processor
            // overlaps (most miss the cache), then summed in n-gram order. A bucket without
            // weight adds +0 to a sum that starts at +0: leaving it out changes nothing.
            let weighted = [(weight: Float, count: Float)](unsafeUninitializedCapacity: vector.ngrams.count) { out, found in
                found = 0
                ngramWeights.withUnsafeBufferPointer { weights in
                    weightedBuckets.withUnsafeBufferPointer { bits in
                        for ngram in vector.ngrams where ngram.bucket < TextNGrams.bucketCount && bits[Int(ngram.bucket >> 6)] & (1 << UInt64(ngram.bucket & 63)) != 0 {
                            out.initializeElement(at: found, to: (weights[Int(ngram.bucket)], ngram.count))
                            found += 1
                        }
                    }
                }
            }
            for (weight, count) in weighted { text += Double(weight) * ngramScaling.input(occurrences: count) }
            logit += text
            if explain { contributions[ModelScore.textInput] = text }
        }
        return ModelScore(logit: logit, byInput: contributions)
    }
}
