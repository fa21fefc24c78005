import Synchronization

/// One slice of an `EmbeddedBaselineStore`'s records, chosen by key hash, with its own
/// write-behind bookkeeping behind its own lock: store-wide work (pruning, eviction, taking
/// the changes) holds one shard's lock at a time, so a lookup waits for one shard's share of
/// it at most.
final class BaselineShard: Sendable {
    struct Contents {
        var records: [BaselineKey: BaselineRecord] = [:]
        /// The records changed since write-behind last took them, as they are now: kept
        /// beside `records` so that taking them is a swap under the lock, not a copy.
        var changed: [BaselineKey: BaselineRecord] = [:]
        /// Pruned or evicted, and not learned again since.
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

        /// Removes those of `ranked` still as they were ranked (not renewed by a lesson or
        /// pruned since) and remembers them; how many.
        mutating func evict(_ ranked: some Sequence<(key: BaselineKey, record: BaselineRecord)>) -> Int {
            var removed = 0
            for (key, record) in ranked where records[key] == record {
                records[key] = nil
                changed[key] = nil
                deleted.insert(key)
                removed += 1
            }
            return removed
        }
    }

    let contents: Mutex<Contents>
    /// This shard's share of the store's cap.
    let limit: Int

    init(_ contents: Contents, limit: Int) {
        self.contents = Mutex(contents)
        self.limit = limit
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

    /// Over its limit, removes its least valuable records (`RetentionValue`) down to a
    /// sixteenth below it and remembers their keys as pruned ones; how many. A sixteenth,
    /// so that a flood of new senders pays for a ranking of the shard every sixteenth of it
    /// rather than every lesson. Ranks a snapshot without the lock, as `prune` scans one.
    func evict(at now: Int64, settings: BaselineSettings) -> Int {
        let victims = leastValuable(keeping: limit - limit / 16, at: now, settings: settings)
        guard !victims.isEmpty else { return 0 }
        return contents.withLock { $0.evict(victims) }
    }

    /// Its own function for the same reason as `staleKeys`.
    private func leastValuable(keeping: Int, at now: Int64, settings: BaselineSettings) -> [(key: BaselineKey, record: BaselineRecord)] {
        let snapshot = contents.withLock { $0.records }
        guard snapshot.count > limit else { return [] }
        let ranked = snapshot.map { (key: $0.key, record: $0.value, value: $0.value.retentionValue(at: now, settings: settings)) }
            .sorted { $0.value < $1.value }
        return ranked.prefix(snapshot.count - keeping).map { (key: $0.key, record: $0.record) }
    }
}
