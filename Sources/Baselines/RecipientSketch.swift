import Foundation

/// A 256-bit linear-counting sketch of the distinct recipients a sender wrote to: fixed
/// size on disk and in Redis, exact enough for the small counts that matter (±10% to ~500).
public struct RecipientSketch: Sendable, Equatable {
    public static let bitCount = 256
    public private(set) var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)) {
        self.words = words
    }

    public mutating func insert(_ address: String) {
        let bit = Int(StableHash.mixed(address) % UInt64(Self.bitCount))
        let mask = UInt64(1) << UInt64(bit % 64)
        switch bit / 64 {
        case 0: words.0 |= mask
        case 1: words.1 |= mask
        case 2: words.2 |= mask
        default: words.3 |= mask
        }
    }

    public var estimate: Double {
        let set = words.0.nonzeroBitCount + words.1.nonzeroBitCount + words.2.nonzeroBitCount + words.3.nonzeroBitCount
        let m = Double(Self.bitCount)
        // A full sketch says "at least this many"; the formula would give infinity.
        let zeros = Double(max(Self.bitCount - set, 1))
        return m * log(m / zeros)
    }

    public static func == (left: RecipientSketch, right: RecipientSketch) -> Bool {
        left.words == right.words
    }
}

/// A hash that is the same in every process (Swift's `Hasher` is seeded per process), for
/// sketches that are persisted and shared between MTAs.
enum StableHash {
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// FNV-1a through a SplitMix64 finalizer: FNV's low bits alone cluster on addresses
    /// that differ in one character.
    static func mixed(_ text: String) -> UInt64 {
        var hash = fnv1a(text)
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}
