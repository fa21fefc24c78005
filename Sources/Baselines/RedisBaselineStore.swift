import Features
import Synchronization

/// Baselines shared by a fleet of MTAs in Redis, one key per record holding its encoded
/// bytes. The inline lookup fetches the message's records in one round trip within
/// `lookupTimeout`; when Redis does not answer in time, the local cache of recently seen
/// records answers and `storeFallback` is 1. Lessons are read-modify-write under WATCH, so
/// two MTAs learning about one sender at once cannot lose each other's counts. Every record
/// written expires `recordTTL` later unless a lesson writes it again.
public final class RedisBaselineStore: BaselineStore {
    public let model: BaselineModel
    public let settings: RedisSettings
    private let lookupSlots: [RedisConnectionSlot]
    private let learnSlot: RedisConnectionSlot
    private let cache: Mutex<RecordCache>
    private let unshared = Atomic<Int>(0)
    /// `recordTTL` in milliseconds, as SET's PX argument.
    private let recordTTLArgument: [UInt8]
    /// Reads and conditional writes tried per lesson while other MTAs change its records.
    private static let attempts = 16

    public init(model: BaselineModel = BaselineModel(), settings: RedisSettings = RedisSettings()) {
        self.model = model
        self.settings = settings
        lookupSlots = (0..<max(settings.lookupConnections, 1)).map { _ in RedisConnectionSlot(settings: settings) }
        learnSlot = RedisConnectionSlot(settings: settings)
        cache = Mutex(RecordCache(capacity: settings.cacheCapacity))
        recordTTLArgument = Array(String(Self.milliseconds(settings.recordTTL)).utf8)
    }

    /// Lessons Redis did not take (unreachable, timed out, or contended on every attempt): kept in
    /// this MTA's cache only.
    public var unsharedLessons: Int { unshared.load(ordering: .relaxed) }

    public func signals(for message: BaselineQuery) -> BaselineSignals {
        let keys = model.keys(for: message)
        let deadline = ContinuousClock.now + settings.lookupTimeout
        let command = [Array("MGET".utf8)] + keys.map(redisKey)
        for slot in lookupSlots {
            guard let result = slot.exchange([command], until: deadline, waiting: false) else { continue }
            guard case .success(let replies) = result, let records = Self.records(keys, from: replies.first) else { break }
            cache.withLock { cache in
                for key in keys { cache.store(records[key], for: key) }
            }
            return model.signals(for: message, in: records)
        }
        var signals = cache.withLock { model.signals(for: message, in: $0) }
        signals[.storeFallback] = 1
        return signals
    }

    public func learn(_ observation: BaselineObservation) {
        let keys = model.keys(for: observation.message)
        let deadline = ContinuousClock.now + settings.learnTimeout
        let names = keys.map(redisKey)
        for _ in 0..<Self.attempts {
            guard case .success(let read)? = learnSlot.exchange([[Array("WATCH".utf8)] + names, [Array("MGET".utf8)] + names], until: deadline, waiting: true),
                  read.count == 2, let records = Self.records(keys, from: read[1])
            else { break }
            let changes = model.lesson(from: observation, in: records)
            guard !changes.isEmpty else {
                _ = learnSlot.exchange([[Array("UNWATCH".utf8)]], until: deadline, waiting: true)
                return
            }
            // One SET with its expiry per record: MSET cannot set one.
            var transaction = [[Array("MULTI".utf8)]]
            for (key, record) in changes {
                transaction.append([Array("SET".utf8), redisKey(key), record.encoded, Array("PX".utf8), recordTTLArgument])
            }
            transaction.append([Array("EXEC".utf8)])
            guard case .success(let written)? = learnSlot.exchange(transaction, until: deadline, waiting: true),
                  let outcome = written.last
            else { break }
            // A null EXEC: another MTA changed a watched record; read again.
            if outcome == .array(nil) { continue }
            guard case .array(let results?) = outcome, results.allSatisfy({ if case .error = $0 { false } else { true } }) else { break }
            cache.withLock { cache in
                for (key, record) in changes { cache.store(record, for: key) }
            }
            return
        }
        unshared.add(1, ordering: .relaxed)
        cache.withLock { cache in
            for (key, record) in model.lesson(from: observation, in: cache) { cache.store(record, for: key) }
        }
    }

    /// Whole milliseconds, at least 1 (Redis refuses an expiry of 0), clamped below overflow.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let seconds = min(max(duration.components.seconds, 0), Int64.max / 1000 - 1)
        return max(seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000, 1)
    }

    private func redisKey(_ key: BaselineKey) -> [UInt8] {
        Array((settings.keyPrefix + key.storageKey).utf8)
    }

    /// MGET's reply as records by key; nil when the reply is not MGET's. A value that does
    /// not decode counts as absent.
    private static func records(_ keys: [BaselineKey], from reply: RESPValue?) -> [BaselineKey: BaselineRecord]? {
        guard case .array(let values?)? = reply, values.count == keys.count else { return nil }
        var records: [BaselineKey: BaselineRecord] = [:]
        for (key, value) in zip(keys, values) {
            if case .bulk(let bytes?) = value, let record = BaselineRecord(encoded: bytes) { records[key] = record }
        }
        return records
    }
}
