import Foundation

/// The directory of deferred messages waiting for their full verdict, one file per job:
/// `<id>.job` holds a line of JSON (the `SpoolJob`) and then the message as received;
/// `<id>.verdict` holds the `VerdictRecord` once decided, until it has been carried out.
/// Every write is durable (`DurableFile`) before anyone relies on it.
public struct Spool: Sendable {
    public let directory: String

    /// Opens (creating it 0750 if needed) and removes temporary files a crash left behind.
    public init(directory: String) throws(SystemCallError) {
        self.directory = directory
        if mkdir(directory, 0o750) != 0, errno != EEXIST { throw .last("mkdir \(directory)") }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(".tmp-") {
            unlink(directory + "/" + name)
        }
    }

    public enum ReadError: Error, CustomStringConvertible {
        case unreadable(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unreadable(let detail): "unreadable spool file: \(detail)"
            case .malformed(let detail): "malformed spool file: \(detail)"
            }
        }
    }

    private func jobPath(_ id: String) -> String { "\(directory)/\(id).job" }
    private func verdictPath(_ id: String) -> String { "\(directory)/\(id).verdict" }

    /// Refuses a job it cannot encode rather than spool a message that nothing names.
    public func write(_ job: SpoolJob, message: [UInt8]) throws(SystemCallError) {
        // JSONEncoder never emits a raw newline, so the first one ends the job line.
        guard let header = try? RecordJSON.encoder().encode(job) else { throw SystemCallError(call: "encode spool job \(job.id)", code: EINVAL) }
        try DurableFile.write(Array(header) + [UInt8(ascii: "\n")] + message, to: jobPath(job.id))
    }

    public func read(_ id: String) throws(ReadError) -> (job: SpoolJob, message: [UInt8]) {
        guard let data = FileManager.default.contents(atPath: jobPath(id)) else { throw .unreadable(jobPath(id)) }
        let bytes = [UInt8](data)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
              let job = try? RecordJSON.decoder().decode(SpoolJob.self, from: Data(bytes[..<newline])), job.id == id
        else { throw .malformed(jobPath(id)) }
        return (job, Array(bytes[(newline + 1)...]))
    }

    public func recordVerdict(_ record: VerdictRecord) throws(SystemCallError) {
        try DurableFile.write(record.json, to: verdictPath(record.jobID))
    }

    /// The verdict recorded for a job, if one was decided before a restart.
    public func recordedVerdict(_ id: String) -> VerdictRecord? {
        FileManager.default.contents(atPath: verdictPath(id)).flatMap { try? RecordJSON.decoder().decode(VerdictRecord.self, from: $0) }
    }

    /// The queue id a job's name ends with (`SpoolJob.id` is `<time>-<queue id>`), for a job
    /// whose line cannot be decoded.
    public static func queueID(ofJob id: String) -> String? {
        id.split(separator: "-", maxSplits: 1).last.map(String.init).flatMap { QueuedMessage.isQueueID($0) ? $0 : nil }
    }

    /// Renames a job that will never decode to `<id>.damaged`, out of the queue and kept for
    /// inspection, with its recorded verdict if any removed.
    public func setAside(_ id: String) throws(SystemCallError) {
        guard rename(jobPath(id), "\(directory)/\(id).damaged") == 0 else { throw .last("rename \(jobPath(id))") }
        if unlink(verdictPath(id)) != 0 && errno != ENOENT { throw .last("unlink \(verdictPath(id))") }
    }

    /// Forgets a job whose verdict was carried out: the job first, so a crash in between
    /// leaves only a verdict file, which `jobIDs` ignores and the next start cleans up. Not
    /// fsynced: a removal lost in a crash only makes the next start carry out the same
    /// recorded verdict again, which is harmless.
    public func remove(_ id: String) throws(SystemCallError) {
        for path in [jobPath(id), verdictPath(id)] where unlink(path) != 0 && errno != ENOENT {
            throw .last("unlink \(path)")
        }
    }

    /// Every job waiting, oldest first.
    public func jobIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".job") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Removes verdict files whose job is gone (a crash between the two removals).
    public func removeOrphanVerdicts() {
        let jobs = Set(jobIDs())
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".verdict") {
            if !jobs.contains(String(name.dropLast(8))) { unlink(directory + "/" + name) }
        }
    }
}
