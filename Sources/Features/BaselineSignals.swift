/// One message's behaviour features (`Feature.behaviour`), as a store answers them.
public struct BaselineSignals: Sendable, Equatable {
    /// In `Feature.behaviour` order.
    public private(set) var values: [Double]

    /// The behaviour block is the schema's tail, so a feature's place in it is an offset.
    private static let first = Feature.behaviour[0].rawValue

    /// A store's answer before it has read anything: nothing known, but answered.
    public init() {
        values = [Double](repeating: 0, count: Feature.behaviour.count)
        self[.baselinesAnswered] = 1
    }

    public subscript(feature: Feature) -> Double {
        get { values[feature.rawValue - Self.first] }
        set { values[feature.rawValue - Self.first] = newValue }
    }

    /// Sets the behaviour block of a message's features.
    public func write(into vector: inout FeatureVector) {
        for (offset, value) in values.enumerated() { vector.values[Self.first + offset] = value }
    }
}
