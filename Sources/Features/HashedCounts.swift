/// Counts per 32-bit key, for keys that are already hashes (n-gram buckets, word hashes):
/// open addressing with a multiplicative spread instead of a keyed hash, one 64-bit slot per
/// entry (key above, count below; 0 is empty). It starts small and doubles, so a short
/// message pays for a short table. Bounded: past `capacity` distinct keys, new keys are dropped.
struct HashedCounts: Sendable, Equatable {
    private var slots: [UInt64]
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        slots = [UInt64](repeating: 0, count: 1_024)
    }

    @inline(__always)
    private static func home(of key: UInt32, mask: Int) -> Int {
        // Fibonacci hashing spreads keys whose low bits repeat.
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Adds one to `key`; returns false when the key is new and there is no room.
    @discardableResult
    mutating func increment(_ key: UInt32) -> Bool {
        let tag = UInt64(key) << 32
        while true {
            let mask = slots.count - 1
            var slot = Self.home(of: key, mask: mask)
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    slots[slot] = entry &+ 1
                    return true
                }
                slot = (slot + 1) & mask
            }
            guard count < capacity else { return false }
            // Keep the table at most half full; after growing, look for the slot again.
            if (count + 1) * 2 > slots.count {
                grow()
                continue
            }
            slots[slot] = tag | 1
            count += 1
            return true
        }
    }

    /// Doubles the table, re-inserting what it holds.
    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry != 0 {
            var slot = Self.home(of: UInt32(truncatingIfNeeded: entry >> 32), mask: mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    func contains(_ key: UInt32) -> Bool {
        let tag = UInt64(key) << 32
        let mask = slots.count - 1
        var slot = Self.home(of: key, mask: mask)
        while slots[slot] != 0 {
            if slots[slot] & 0xFFFF_FFFF_0000_0000 == tag { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    /// The entries in table order, which depends only on the keys counted and their order.
    var entries: [NGramCount] {
        slots.compactMap { entry in
            entry == 0 ? nil : NGramCount(bucket: UInt32(truncatingIfNeeded: entry >> 32), count: Float(entry & 0xFFFF_FFFF))
        }
    }
}
