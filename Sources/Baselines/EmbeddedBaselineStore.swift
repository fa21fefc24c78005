import Features
import Synchronization

/// Baselines in this process's memory: the default store, and the local cache of the
/// shared one. Remembers which records changed since `takeChanges()` and which were pruned
/// since `takeDeletions()`, for write-behind.
///
/// The records are split into `shardCount` shards by key hash, each behind its own lock (see
/// `BaselineShard`), because an inline lookup must not wait for a pass over millions of
/// records. A lookup reads each record under its shard's lock only, so it may see a lesson
/// learned meanwhile in some of its records and not yet in others, as if it had run a moment
/// earlier or later for those; lessons themselves are serialised (see `learn(_:)`).
public final class EmbeddedBaselineStore: BaselineStore, BaselineRecordSource {
    /// About 2,100 records a shard at 2.18 M records: what a lesson copies when it changes a
    /// shard that prune is scanning.
    static let shardCount = 1024

    public let model: BaselineModel
    private let shards: [BaselineShard]
    /// Held through a whole lesson, from reading its records to writing them back, so that two
    /// lessons on one sender cannot both start from the same count and lose one. Lookups,
    /// pruning and write-behind never take it.
    private let learning = Mutex(())

    /// Starts from `records`, typically loaded from a `BaselineDatabase`; they are not
    /// marked changed.
    public init(model: BaselineModel = BaselineModel(), records: [BaselineKey: BaselineRecord] = [:]) {
        self.model = model
        var contents = Array(repeating: BaselineShard.Contents(), count: Self.shardCount)
        for (key, record) in records { contents[Self.shardIndex(of: key)].records[key] = record }
        shards = contents.map(BaselineShard.init)
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

    public func learn(_ observation: BaselineObservation) {
        learning.withLock { _ in
            // A record pruned after the lesson read it comes back with the lesson added, as if
            // the lesson had come just before the prune and kept it fresh.
            for (key, record) in model.lesson(from: observation, in: self) {
                shard(for: key).contents.withLock { $0.learned(record, for: key) }
            }
        }
    }

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
    /// lesson that changes a shard while it is scanned pays for a copy of that shard.
    @discardableResult
    public func prune(at now: Int64) -> Int {
        shards.reduce(0) { removed, shard in removed + shard.prune(at: now, settings: model.settings) }
    }

    /// The keys pruned since the last call and not learned again, and forgets them.
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
