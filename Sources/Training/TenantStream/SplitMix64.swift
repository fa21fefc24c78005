/// A small seeded generator: the same seed gives the same tenant stream on every machine,
/// which Swift's system generator cannot promise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        Double(next() % 1_000_000) / 1_000_000 < p
    }

    /// A number in 0..<count.
    mutating func below(_ count: Int) -> Int {
        Int(next() % UInt64(max(count, 1)))
    }
}
