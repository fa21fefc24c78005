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
        slots = [UInt64](repeating: 0, count: 4_096)
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
            next = slots.withUnsafeMutableBufferPointer { table in
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

    /// The entries in table order, which depends only on the keys counted and their order.
    var entries: [NGramCount] {
        // One pass over raw storage without a branch per slot (occupied slots are scattered, so
        // a branch would mispredict on most of them): every slot is written at `filled`, which
        // only moves past occupied ones; the extra element is the scratch slot.
        [NGramCount](unsafeUninitializedCapacity: count + 1) { entries, filled in
            slots.withUnsafeBufferPointer { table in
                for entry in table {
                    entries[filled] = NGramCount(bucket: UInt32(truncatingIfNeeded: entry >> 32), count: Float(entry & 0xFFFF_FFFF))
                    // `count` occupied slots, so this never passes the scratch slot.
                    filled = min(filled + (entry != 0 ? 1 : 0), count)
                }
            }
        }
    }
}
