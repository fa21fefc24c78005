import Synchronization

/// One slice of an `EmbeddedBaselineStore`'s records, chosen by key hash, with its own
/// write-behind bookkeeping behind its own lock: store-wide work (pruning, taking the
/// changes) holds one shard's lock at a time, so a lookup waits for one shard's share of it
/// at most.
final class BaselineShard: Sendable {
    struct Contents {
        var records: [BaselineKey: BaselineRecord] = [:]
        /// The records changed since write-behind last took them, as they are now: kept
        /// beside `records` so that taking them is a swap under the lock, not a copy.
        var changed: [BaselineKey: BaselineRecord] = [:]
        /// Pruned and not learned again since.
        var deleted: Set<BaselineKey> = []

        mutating func learned(_ record: BaselineRecord, for key: BaselineKey) {
            records[key] = record
            changed[key] = record
            deleted.remove(key)
        }

        mutating func markChanged(_ key: BaselineKey) {
            if let record = records[key] { changed[key] = record }
        }

        /// Removes the records stale at `now` and remembers their keys; how many.
        mutating func prune(at now: Int64, settings: BaselineSettings) -> Int {
            var stale: [BaselineKey] = []
            for (key, record) in records where record.isStale(at: now, settings: settings) { stale.append(key) }
            for key in stale {
                records[key] = nil
                changed[key] = nil
                deleted.insert(key)
            }
            return stale.count
        }
    }

    let contents: Mutex<Contents>

    init(_ contents: Contents) {
        self.contents = Mutex(contents)
    }
}
