import Features
import Synchronization

/// Baselines in this process's memory: the default store, with write-behind to SQLite in
/// `PersistentBaselineStore`. Remembers which records changed since `takeChanges()` and which
/// were pruned or evicted since `takeDeletions()`, for write-behind.
///
/// The records are split into `shardCount` shards by key hash, each behind its own lock (see
/// `BaselineShard`), because an inline lookup must not wait for a pass over millions of
/// records. A lookup reads each record under its shard's lock only, so it may see a lesson
/// learned meanwhile in some of its records and not yet in others, as if it had run a moment
/// earlier or later for those; lessons themselves are serialised (see `learn(_:)`).
///
/// At most `maxRecords` are kept, so that a flood of one-off senders cannot grow memory
/// without bound between prunes: each shard keeps its share of the cap, and a lesson that
/// takes a shard over it evicts the shard's least valuable records (`RetentionValue`) on the
/// learning thread. Shares need no store-wide count or pass; the hash spreads keys evenly, so
/// at the default the first shard fills at about 95% of the cap, and a full store holds
/// between 15/16 of it and all of it (see `BaselineShard.evict`). Evicted keys are deleted
/// from SQLite like pruned ones: the file is this store written down and loaded whole at
/// start, not a larger tier behind it, so keeping them there would load them over the cap
/// again and let the file grow without bound instead. (The Redis store does not use this
/// store: its local cache is a `RecordCache`, and nothing it drops is deleted from Redis.)
public final class EmbeddedBaselineStore: BaselineStore, BaselineRecordSource {
    /// About 2,100 records a shard at 2.18 M records: what a lesson copies when it changes a
    /// shard that prune is scanning.
    static let shardCount = 1024

    /// Nearly twice the 2.18 M records of the README's synthetic tenant (100,000 senders
    /// writing to 10,000 users for 180 days), so that a mid-size site's history fits and only
    /// a flood is evicted. About 1.6 GB at the cap: a record costs about 400 bytes, measured
    /// as gannet-baselines-bench's peak RSS at 576,759 and 999,493 records (214 and 386 MB,
    /// every record also held as a change not yet written).
    public static let defaultMaxRecords = 4_000_000

    public let model: BaselineModel
    /// The cap on `recordCount`; shard `i` keeps `maxRecords / shardCount` records, one more
    /// for the first `maxRecords % shardCount`, so the shares add up to the cap exactly.
    public let maxRecords: Int
    private let shards: [BaselineShard]
    /// Held through a whole lesson, from reading its records to writing them back, so that two
    /// lessons on one sender cannot both start from the same count and lose one. Lookups and
    /// write-behind never take it; pruning takes it only to evict.
    private let learning = Mutex(())
    private let evictions = Atomic<Int>(0)

    /// Starts from `records`, typically loaded from a `BaselineDatabase`; they are not
    /// marked changed, and not evicted until the next lesson or prune.
    public init(model: BaselineModel = BaselineModel(), records: [BaselineKey: BaselineRecord] = [:], maxRecords: Int = defaultMaxRecords) {
        self.model = model
        self.maxRecords = max(maxRecords, 0)
        var contents = Array(repeating: BaselineShard.Contents(), count: Self.shardCount)
        for (key, record) in records { contents[Self.shardIndex(of: key)].records[key] = record }
        let (share, remainder) = self.maxRecords.quotientAndRemainder(dividingBy: Self.shardCount)
        shards = contents.enumerated().map { index, contents in BaselineShard(contents, limit: share + (index < remainder ? 1 : 0)) }
    }

    private static func shardIndex(of key: BaselineKey) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(shardCount))
    }

    private func shard(for key: BaselineKey) -> BaselineShard {
        shards[Self.shardIndex(of: key)]
    }

    public func signals(for message: BaselineQuery) -> BaselineSignals {
        model.signals(for: message, in: self)
    }

    /// Learns on the caller's thread, and evicts there from the shards the lesson took over
    /// their share; lookups wait only while the evicted records are removed.
    public func learn(_ observation: BaselineObservation) {
        learning.withLock { _ in
            var full: [BaselineShard] = []
            // A record pruned after the lesson read it comes back with the lesson added, as if
            // the lesson had come just before the prune and kept it fresh.
            for (key, record) in model.lesson(from: observation, in: self) {
                let shard = shard(for: key)
                let over = shard.contents.withLock { contents in
                    contents.learned(record, for: key)
                    return contents.records.count > shard.limit
                }
                if over, !full.contains(where: { $0 === shard }) { full.append(shard) }
            }
            // After the whole lesson, so that it is ranked with every record it wrote.
            for shard in full { evictions.add(shard.evict(at: observation.message.at, settings: model.settings), ordering: .relaxed) }
        }
    }

    /// Records evicted to stay within `maxRecords` since the store was made.
    public var evictedCount: Int { evictions.load(ordering: .relaxed) }

    public var recordCount: Int {
        shards.reduce(0) { count, shard in count + shard.contents.withLock { $0.records.count } }
    }

    public func record(_ key: BaselineKey) -> BaselineRecord? {
        shard(for: key).contents.withLock { $0.records[key] }
    }

    /// The records changed since the last call, and forgets that they changed. Holds each
    /// shard's lock only to take its changes away whole.
    public func takeChanges() -> [(BaselineKey, BaselineRecord)] {
        var changes: [(BaselineKey, BaselineRecord)] = []
        for shard in shards {
            let taken = shard.contents.withLock { contents in
                defer { contents.changed = [:] }
                return contents.changed
            }
            for (key, record) in taken { changes.append((key, record)) }
        }
        return changes
    }

    /// Marks records changed again, after a write that failed.
    public func markChanged(_ keys: some Sequence<BaselineKey>) {
        for key in keys { shard(for: key).contents.withLock { $0.markChanged(key) } }
    }

    /// Removes the records stale at `now` (`BaselineRecord.isStale`) and remembers their keys
    /// for `takeDeletions()`; how many it removed. One shard at a time, holding its lock only
    /// to take a snapshot and to remove the stale records (see `BaselineShard.prune`); a
    /// lesson that changes a shard while it is scanned pays for a copy of that shard. Then
    /// evicts from the shards still over their share, as after loading more records than
    /// `maxRecords` (the cap lowered since the file was written): in between lessons, so that
    /// a lesson and an eviction never rank one shard at once.
    @discardableResult
    public func prune(at now: Int64) -> Int {
        let removed = shards.reduce(0) { removed, shard in removed + shard.prune(at: now, settings: model.settings) }
        for shard in shards where shard.contents.withLock({ $0.records.count > shard.limit }) {
            let evicted = learning.withLock { _ in shard.evict(at: now, settings: model.settings) }
            evictions.add(evicted, ordering: .relaxed)
        }
        return removed
    }

    /// The keys pruned or evicted since the last call and not learned again, and forgets them.
    public func takeDeletions() -> [BaselineKey] {
        var deletions: [BaselineKey] = []
        for shard in shards {
            let taken = shard.contents.withLock { contents in
                defer { contents.deleted = [] }
                return contents.deleted
            }
            deletions.append(contentsOf: taken)
        }
        return deletions
    }

    /// Marks keys deleted again, after a write that failed; a key learned again meanwhile
    /// stays as it is.
    public func markDeleted(_ keys: some Sequence<BaselineKey>) {
        for key in keys {
            shard(for: key).contents.withLock { contents in
                if contents.records[key] == nil { contents.deleted.insert(key) }
            }
        }
    }
}
