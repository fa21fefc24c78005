/// Counts per 32-bit key, for keys that are already hashes (n-gram buckets, word hashes):
/// open addressing with a multiplicative spread instead of a keyed hash, one 64-bit slot per
/// entry (key above, count below; 0 is empty). It starts small and doubles, so a short
/// message pays for a short table. Bounded: past `capacity` distinct keys, new keys are dropped.
struct HashedCounts: Sendable, Equatable {
    private var slots: [UInt64]
    /// A bit per slot, set when it is occupied: reading the entries visits only these, not a
    /// table of thousands of slots that a short message barely fills.
    private var occupied: [UInt64]
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        slots = [UInt64](repeating: 0, count: 4_096)
        occupied = [UInt64](repeating: 0, count: 4_096 / 64)
    }

    @inline(__always)
    private static func home(of key: UInt32, mask: Int) -> Int {
        // Fibonacci hashing spreads keys whose low bits repeat.
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Adds one to each key, in order. One pass over the table's storage for the whole batch:
    /// this runs for every word of every message.
    mutating func increment(_ keys: UnsafeBufferPointer<UInt32>) {
        var next = 0
        while next < keys.count {
            let capacity = self.capacity
            var count = self.count
            // Counts until the table needs to grow; `next` says how far the batch got.
            next = withStorage { table, occupied in
                let mask = table.count - 1
                var index = next
                while index < keys.count {
                    let key = keys[index]
                    let tag = UInt64(key) << 32
                    var slot = Self.home(of: key, mask: mask)
                    var found = false
                    while table[slot] != 0 {
                        if table[slot] & 0xFFFF_FFFF_0000_0000 == tag {
                            table[slot] &+= 1
                            found = true
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                    if !found, count < capacity {
                        if (count + 1) * 2 > table.count { break }
                        table[slot] = tag | 1
                        occupied[slot >> 6] |= 1 << UInt64(slot & 63)
                        count += 1
                    }
                    index += 1
                }
                return index
            }
            self.count = count
            if next < keys.count { grow() }
        }
    }

    private mutating func withStorage<R>(_ body: (UnsafeMutableBufferPointer<UInt64>, UnsafeMutableBufferPointer<UInt64>) -> R) -> R {
        slots.withUnsafeMutableBufferPointer { table in occupied.withUnsafeMutableBufferPointer { body(table, $0) } }
    }

    /// Doubles the table, re-inserting what it holds.
    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        occupied = [UInt64](repeating: 0, count: slots.count / 64)
        let mask = slots.count - 1
        for entry in old where entry != 0 {
            var slot = Self.home(of: UInt32(truncatingIfNeeded: entry >> 32), mask: mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
            occupied[slot >> 6] |= 1 << UInt64(slot & 63)
        }
    }

    /// The entries in table order, which depends only on the keys counted and their order.
    var entries: [NGramCount] {
        [NGramCount](unsafeUninitializedCapacity: count) { entries, filled in
            slots.withUnsafeBufferPointer { table in
                for (word, bits) in occupied.enumerated() {
                    var bits = bits
                    while bits != 0 {
                        let entry = table[word << 6 | bits.trailingZeroBitCount]
                        bits &= bits - 1
                        precondition(filled < entries.count, "a bit is set for each of `count` occupied slots")
                        entries[filled] = NGramCount(bucket: UInt32(truncatingIfNeeded: entry >> 32), count: Float(entry & 0xFFFF_FFFF))
                        filled += 1
                    }
                }
            }
        }
    }
}
