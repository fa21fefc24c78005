/// One message's features: the dense values in schema order, and the sparse hashed n-grams.
public struct FeatureVector: Sendable, Equatable {
    public var values: [Double]
    /// Hashed n-gram buckets with their occurrences (in an order fixed by the text).
    public var ngrams: [NGramCount]

    public init() {
        values = [Double](repeating: 0, count: FeatureSchema.count)
        ngrams = []
    }

    public subscript(feature: Feature) -> Double {
        get { values[feature.rawValue] }
        set { values[feature.rawValue] = newValue }
    }

    /// The inline pass stopped at its byte budget.
    public var wasCut: Bool { self[.bodyCut] > 0 }

    /// `(name, value)` pairs in schema order, for people and reports.
    public var named: [(name: String, value: Double)] {
        FeatureSchema.definitions.map { ($0.name, values[$0.feature.rawValue]) }
    }
}

/// One hashed n-gram bucket and how often the message hit it.
public struct NGramCount: Sendable, Equatable {
    public let bucket: UInt32
    public let count: Float

    public init(bucket: UInt32, count: Float) {
        self.bucket = bucket
        self.count = count
    }
}
