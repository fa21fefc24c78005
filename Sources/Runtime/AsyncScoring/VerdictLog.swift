import Foundation
import Synchronization

/// The JSON-lines file every final verdict on a deferred message is appended to, fsynced
/// line by line. A verdict re-applied after a crash may appear twice, always the same.
public final class VerdictLog: Sendable {
    public let path: String
    private let descriptor: Mutex<Int32>
    /// Serial: lines appended in the background keep their order.
    private let background = DispatchQueue(label: "gannet-verdict-log")

    public init(path: String) throws(SystemCallError) {
        self.path = path
        let fd = DurableFile.openForAppending(path)
        guard fd >= 0 else { throw .last("open \(path)") }
        descriptor = Mutex(fd)
    }

    deinit { descriptor.withLock { _ = close($0) } }

    /// Appends on the log's own thread and returns at once, for the milter thread, which must
    /// not wait for a disk; `onFailure` hears of a line that could not be written.
    public func appendInBackground(_ record: VerdictRecord, onFailure: @escaping @Sendable (SystemCallError) -> Void) {
        background.async {
            do throws(SystemCallError) { try self.append(record) } catch { onFailure(error) }
        }
    }

    /// Returns once the lines handed to `appendInBackground` so far are written.
    public func flush() {
        background.sync {}
    }

    public func append(_ record: VerdictRecord) throws(SystemCallError) {
        let line = record.json + [UInt8(ascii: "\n")]
        let result: SystemCallError? = descriptor.withLock { fd in
            do throws(SystemCallError) {
                try DurableFile.writeAll(fd, line, path: path)
                guard fsync(fd) == 0 else { return .last("fsync \(path)") }
                return nil
            } catch {
                return error
            }
        }
        if let result { throw result }
    }
}
