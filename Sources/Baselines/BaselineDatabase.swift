import Synchronization

/// Baseline records persisted in one SQLite file: loaded whole at start, written in batches
/// by write-behind, with a 64 MB page cache (keys arrive in no order, so a small cache
/// rereads the tree on every insert). WAL with synchronous=NORMAL: a crash of the process loses nothing
/// committed; a power cut may lose the last batches, which write-behind tolerates anyway.
public final class BaselineDatabase: Sendable {
    private let connection: Mutex<SQLiteConnection>

    public init(path: String) throws(SQLiteError) {
        let connection = try SQLiteConnection(path: path)
        try connection.execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA cache_size = -65536;
            CREATE TABLE IF NOT EXISTS baseline_records (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
            """)
        self.connection = Mutex(connection)
    }

    /// Every record that decodes; a row that does not (a foreign or damaged value) is skipped
    /// and counted.
    public func loadAll() throws(SQLiteError) -> (records: [BaselineKey: BaselineRecord], skipped: Int) {
        try connection.withLock { connection throws(SQLiteError) in
            let statement = try connection.prepare("SELECT key, value FROM baseline_records")
            var records: [BaselineKey: BaselineRecord] = [:]
            var skipped = 0
            while try statement.step() {
                guard let key = BaselineKey(storageKey: statement.text(at: 0)), let record = BaselineRecord(encoded: statement.blob(at: 1)) else {
                    skipped += 1
                    continue
                }
                records[key] = record
            }
            return (records, skipped)
        }
    }

    /// The records stored under `keys`, for looking at a few without loading them all; a row
    /// that does not decode counts as absent.
    public func records(_ keys: [BaselineKey]) throws(SQLiteError) -> [BaselineKey: BaselineRecord] {
        try connection.withLock { connection throws(SQLiteError) in
            let statement = try connection.prepare("SELECT value FROM baseline_records WHERE key = ?1")
            var records: [BaselineKey: BaselineRecord] = [:]
            for key in keys {
                try statement.bind(key.storageKey, at: 1)
                if try statement.step(), let record = BaselineRecord(encoded: statement.blob(at: 0)) { records[key] = record }
                statement.reset()
            }
            return records
        }
    }

    /// Writes a batch and deletes the `deleted` keys in one transaction: all of it or none.
    /// Deletions come last, so a key in both ends deleted.
    public func write(_ records: [(BaselineKey, BaselineRecord)], deleting deleted: [BaselineKey] = []) throws(SQLiteError) {
        guard !records.isEmpty || !deleted.isEmpty else { return }
        try connection.withLock { connection throws(SQLiteError) in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(SQLiteError) {
                let insert = try connection.prepare("INSERT OR REPLACE INTO baseline_records (key, value) VALUES (?1, ?2)")
                for (key, record) in records {
                    try insert.bind(key.storageKey, at: 1)
                    try insert.bind(record.encoded, at: 2)
                    _ = try insert.step()
                    insert.reset()
                }
                let delete = try connection.prepare("DELETE FROM baseline_records WHERE key = ?1")
                for key in deleted {
                    try delete.bind(key.storageKey, at: 1)
                    _ = try delete.step()
                    delete.reset()
                }
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}
