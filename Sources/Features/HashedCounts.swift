/// Counts per 32-bit key, for keys that are already hashes (n-gram buckets, word hashes):
/// open addressing with a multiplicative spread instead of a keyed hash. It starts small and
/// doubles, so a short message pays for a short table. Bounded: past `capacity` distinct keys,
/// new keys are dropped.
struct HashedCounts: Sendable, Equatable {
    private var keys: [UInt32]
    private var counts: [Float]
    private var used: [Bool]
    private(set) var count = 0
    let capacity: Int
    private var mask: Int

    init(capacity: Int) {
        self.capacity = capacity
        keys = [UInt32](repeating: 0, count: 64)
        counts = [Float](repeating: 0, count: 64)
        used = [Bool](repeating: false, count: 64)
        mask = 63
    }

    /// Doubles the table when half full, re-inserting what it holds.
    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts, oldUsed = used
        let slots = used.count * 2
        keys = [UInt32](repeating: 0, count: slots)
        counts = [Float](repeating: 0, count: slots)
        used = [Bool](repeating: false, count: slots)
        mask = slots - 1
        for slot in oldUsed.indices where oldUsed[slot] {
            var target = Self.slot(for: oldKeys[slot], mask: mask)
            while used[target] { target = (target + 1) & mask }
            used[target] = true
            keys[target] = oldKeys[slot]
            counts[target] = oldCounts[slot]
        }
    }

    @inline(__always)
    private static func slot(for key: UInt32, mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Adds one to `key`; returns false when the key is new and there is no room.
    @discardableResult
    mutating func increment(_ key: UInt32) -> Bool {
        // Fibonacci hashing spreads keys whose low bits repeat.
        var slot = Self.slot(for: key, mask: mask)
        while used[slot] {
            if keys[slot] == key {
                counts[slot] += 1
                return true
            }
            slot = (slot + 1) & mask
        }
        guard count < capacity else { return false }
        if (count + 1) * 2 > used.count {
            grow()
            slot = Self.slot(for: key, mask: mask)
            while used[slot] { slot = (slot + 1) & mask }
        }
        used[slot] = true
        keys[slot] = key
        counts[slot] = 1
        count += 1
        return true
    }

    func contains(_ key: UInt32) -> Bool {
        var slot = Self.slot(for: key, mask: mask)
        while used[slot] {
            if keys[slot] == key { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    /// The entries in key order.
    var sorted: [NGramCount] {
        var result: [NGramCount] = []
        result.reserveCapacity(count)
        for slot in used.indices where used[slot] { result.append(NGramCount(bucket: keys[slot], count: counts[slot])) }
        return result.sorted { $0.bucket < $1.bucket }
    }

    /// Keys present here and in `other`, and in either.
    func overlap(with other: HashedCounts) -> (shared: Int, union: Int) {
        var shared = 0
        for slot in used.indices where used[slot] && other.contains(keys[slot]) { shared += 1 }
        return (shared, count + other.count - shared)
    }
}
