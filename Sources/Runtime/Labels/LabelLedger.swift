import Foundation

/// The label ledger (`<state_dir>/labels.jsonl`): every label that can reach training, with
/// where it came from, when, who gave it and the verdict it judged, appended and fsynced,
/// never rewritten. Retraining reads its current view: labels not revoked, the latest per
/// file, whose file is still there.
public struct LabelLedger: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public static func path(for config: GannetConfig) -> String {
        config.daemon.stateDirectory + "/labels.jsonl"
    }

    public func append(_ record: LabelRecord) throws {
        try append([record])
    }

    /// Appends the records with one write and one fsync.
    public func append(_ records: [LabelRecord]) throws {
        guard !records.isEmpty else { return }
        // Before the daemon first ran, the state directory may not exist yet.
        if mkdir((path as NSString).deletingLastPathComponent, 0o750) != 0, errno != EEXIST { throw SystemCallError.last("mkdir for \(path)") }
        let fd = DurableFile.openForAppending(path)
        guard fd >= 0 else { throw SystemCallError.last("open \(path)") }
        defer { close(fd) }
        // Root tools append here; the ledger stays the state directory's owner's, whom
        // retraining runs as.
        var directory = stat()
        if geteuid() == 0, stat((path as NSString).deletingLastPathComponent, &directory) == 0 { _ = fchown(fd, directory.st_uid, directory.st_gid) }
        let encoder = RecordJSON.encoder()
        var lines: [UInt8] = []
        for record in records { lines += try encoder.encode(record) + Data("\n".utf8) }
        try DurableFile.writeAll(fd, lines, path: path)
        guard fsync(fd) == 0 else { throw SystemCallError.last("fsync \(path)") }
    }

    /// Every record, in order; lines that do not decode are skipped.
    public func records() throws -> [LabelRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = RecordJSON.decoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(LabelRecord.self, from: Data($0)) }
    }

    /// The labels training may use: not revoked, the latest for each file, in ledger order.
    public func currentView() throws -> [LabelRecord] {
        let all = try records()
        let revoked = Set(all.compactMap(\.revokes))
        var latest: [String: LabelRecord] = [:]
        var order: [String] = []
        for record in all where record.kind == .label && !revoked.contains(record.id) {
            guard let file = record.file else { continue }
            if latest[file] == nil { order.append(file) }
            latest[file] = record
        }
        return order.compactMap { latest[$0] }
    }

    /// Labels for the files in feedback folders (`<folder>/ham|spam|phish/`) that the ledger
    /// does not know yet, recorded as given by each file's owner; the new records.
    public func recordFeedbackFolders(_ folders: [String]) throws -> [LabelRecord] {
        let known = Set(try records().compactMap(\.file))
        var added: [LabelRecord] = []
        for folder in folders.map(FeedbackFolder.init(path:)) {
            for label in FeedbackFolder.Label.allCases.map(\.rawValue) {
                let directory = "\(folder.path)/\(label)"
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() where !name.hasPrefix(".") {
                    let file = "\(directory)/\(name)"
                    guard !known.contains(file) else { continue }
                    var status = stat()
                    guard lstat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
                    added.append(.label(label, file: file, source: .feedbackFolder, who: LabelRecord.userName(status.st_uid), at: Double(status.st_mtim.tv_sec)))
                }
            }
        }
        try append(added)
        return added
    }
}
