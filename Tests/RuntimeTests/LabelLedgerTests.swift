import Foundation
import Runtime
import Testing

@Suite struct LabelLedgerTests {
    /// The view retraining uses: revoked labels out, a file relabelled counts once with its
    /// latest label, and every record stays in the ledger.
    @Test func theCurrentViewLeavesOutRevokedLabelsAndKeepsTheLatestPerFile() throws {
        let directory = NSTemporaryDirectory() + "gannet-ledger-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = LabelLedger(path: "\(directory)/labels.jsonl")
        let first = LabelRecord.label("spam", file: "/feedback/spam/1.eml", source: .quarantineDelete, who: "ann", verdictID: "g-0000000001", queueID: "4Q1")
        let relabelled = LabelRecord.label("ham", file: "/feedback/spam/1.eml", source: .import, who: "bob")
        let other = LabelRecord.label("phish", file: "/feedback/phish/2.eml", source: .feedbackFolder, who: "carol")
        for record in [first, relabelled, other, .revocation(of: other.id, reason: "not phish", who: "ann")] { try ledger.append(record) }
        #expect(try ledger.currentView() == [relabelled])
        #expect(try ledger.records().count == 4)
        #expect(first.id.hasPrefix("l-") && first.id.count == 12 && first.id != relabelled.id)
    }

    @Test func feedbackFolderFilesAreRecordedOnce() throws {
        let directory = NSTemporaryDirectory() + "gannet-ledger-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(directory)/feedback/ham", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "From: a@b.example\n\nHi\n".write(toFile: "\(directory)/feedback/ham/1.eml", atomically: true, encoding: .utf8)
        let ledger = LabelLedger(path: "\(directory)/labels.jsonl")
        #expect(try ledger.recordFeedbackFolders(["\(directory)/feedback"]).map(\.label) == ["ham"])
        #expect(try ledger.recordFeedbackFolders(["\(directory)/feedback"]).isEmpty)
        #expect(try ledger.currentView().first?.source == .feedbackFolder)
        // The same folder written another way names the same files.
        #expect(try ledger.recordFeedbackFolders(["\(directory)/feedback/", "\(directory)//feedback/./"]).isEmpty)
        let filed = try FeedbackFolder(path: "\(directory)/feedback/").file(Array("From: c@d.example\n\nHi\n".utf8), queueID: "4Q1", label: .spam)
        #expect(filed.hasPrefix("\(directory)/feedback/spam/"))
        #expect(try ledger.recordFeedbackFolders(["\(directory)/feedback"]).map(\.file) == [filed])
    }
}
