import Foundation

/// The optional JSON-lines log of every decision. A milter thread only hands a record over
/// (a lock and an append); a writer thread of its own encodes and writes. When the writer falls
/// `capacity` records behind (a slow disk), new records are dropped and counted rather than
/// making a session wait. Lines are not fsynced: this is an audit trail, not a record that
/// crash recovery depends on (the verdict log is).
public final class DecisionLog: @unchecked Sendable {
    public let path: String
    private let capacity: Int
    private let descriptor: Int32
    // `condition` guards pending, writing and closed.
    private let condition = NSCondition()
    private var pending: [DecisionRecord] = []
    private var writing = false
    private var closed = false

    public init(path: String, capacity: Int = 10_000) throws(SystemCallError) {
        self.path = path
        self.capacity = capacity
        descriptor = DurableFile.openForAppending(path)
        guard descriptor >= 0 else { throw .last("open \(path)") }
        Thread { [self] in writeLoop() }.start()
    }

    /// Hands a record to the writer; false when it was dropped (writer behind, or log closed).
    @discardableResult
    public func append(_ record: DecisionRecord) -> Bool {
        condition.withLock {
            guard !closed, pending.count < capacity else { return false }
            pending.append(record)
            condition.signal()
            return true
        }
    }

    /// Writes what is pending, then stops the writer and closes the file.
    public func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
            while !pending.isEmpty || writing { condition.wait() }
        }
    }

    private func writeLoop() {
        let encoder = RecordJSON.encoder()
        while true {
            let batch: [DecisionRecord]? = condition.withLock {
                while pending.isEmpty && !closed { condition.wait() }
                if pending.isEmpty { return nil }
                writing = true
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            guard let batch else { break }
            var bytes: [UInt8] = []
            for record in batch {
                guard let line = try? encoder.encode(record) else { continue }
                bytes += line
                bytes.append(UInt8(ascii: "\n"))
            }
            // A failed write loses these lines only; the daemon's log line has every verdict too.
            try? DurableFile.writeAll(descriptor, bytes, path: path)
            condition.withLock {
                writing = false
                condition.broadcast()
            }
        }
        Foundation.close(descriptor)
        condition.withLock { condition.broadcast() }
    }
}
