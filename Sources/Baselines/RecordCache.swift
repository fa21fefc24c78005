/// A bounded map of recently used records in two generations: lookups fall through from the
/// current one to the previous; when the current one is full it becomes the previous and the
/// old previous is dropped. Memory stays under twice the capacity with no per-entry
/// bookkeeping.
struct RecordCache: BaselineRecordSource {
    let capacity: Int
    private var current: [BaselineKey: BaselineRecord] = [:]
    private var previous: [BaselineKey: BaselineRecord] = [:]

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    func record(_ key: BaselineKey) -> BaselineRecord? {
        current[key] ?? previous[key]
    }

    mutating func store(_ record: BaselineRecord?, for key: BaselineKey) {
        if current.count >= capacity {
            previous = current
            current = [:]
        }
        // A record the store no longer has must not be answered from the cache either.
        current[key] = record
        if record == nil { previous[key] = nil }
    }
}
