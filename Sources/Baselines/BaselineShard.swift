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

        /// Removes those of `keys` that are stale at `now` and remembers them; how many.
        mutating func remove(_ keys: [BaselineKey], ifStaleAt now: Int64, settings: BaselineSettings) -> Int {
            var removed = 0
            for key in keys where records[key]?.isStale(at: now, settings: settings) == true {
                records[key] = nil
                changed[key] = nil
                deleted.insert(key)
                removed += 1
            }
            return removed
        }
    }

    let contents: Mutex<Contents>

    init(_ contents: Contents) {
        self.contents = Mutex(contents)
    }

    /// Removes the records stale at `now` and remembers their keys; how many. Scans a
    /// snapshot of the records without the lock (taking it is a retain: dictionaries are
    /// copy-on-write), because a pruning thread preempted mid-scan would keep lookups
    /// waiting a whole time slice; the lock is held again only to remove what is still
    /// stale, as a lesson may have renewed it meanwhile.
    func prune(at now: Int64, settings: BaselineSettings) -> Int {
        let stale = staleKeys(at: now, settings: settings)
        guard !stale.isEmpty else { return 0 }
        return contents.withLock { $0.remove(stale, ifStaleAt: now, settings: settings) }
    }

    /// Its own function so that the snapshot is released before the records are changed:
    /// while it is held, a change copies the whole shard.
    private func staleKeys(at now: Int64, settings: BaselineSettings) -> [BaselineKey] {
        let snapshot = contents.withLock { $0.records }
        return snapshot.compactMap { key, record in record.isStale(at: now, settings: settings) ? key : nil }
    }
}
