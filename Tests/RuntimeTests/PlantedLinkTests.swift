import Foundation
import Runtime
import Testing

/// Root tools (`gannet quarantine release`, the review log) write into directories the daemon's
/// user owns. A compromised daemon user must not be able to turn those writes against another
/// file by planting symlinks where Gannet writes.
@Suite struct PlantedLinkTests {
    func scratch() throws -> (directory: String, victim: String) {
        let directory = NSTemporaryDirectory() + "gannet-links-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        let victim = directory + "/victim"
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        return (directory, victim)
    }

    /// The temporary file a durable write used to open was `.tmp-<name>`, followed and truncated.
    @Test func aLinkAtTheOldTemporaryNameIsNotWrittenThrough() throws {
        let (directory, victim) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/state/.tmp-4XyB2kQ7Zn", withDestinationPath: victim)
        try ReleaseRequests(directory: "\(directory)/state").request(queueID: "4XyB2kQ7Zn")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/state/4XyB2kQ7Zn"))
    }

    /// A link in the final place is replaced, not written through.
    @Test func aLinkAtTheFinalNameIsReplaced() throws {
        let (directory, victim) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/state/4XyB2kQ7Zn", withDestinationPath: victim)
        try ReleaseRequests(directory: "\(directory)/state").request(queueID: "4XyB2kQ7Zn")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/state/4XyB2kQ7Zn")) == nil)
    }

    /// Logs are opened for appending without following a link in their place.
    @Test func logsRefuseALinkInTheirPlace() throws {
        let (directory, victim) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/state/verdicts.jsonl", withDestinationPath: victim)
        #expect(throws: SystemCallError.self) { try VerdictLog(path: "\(directory)/state/verdicts.jsonl") }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    /// `gannet deploy` as root into the state directory, where the model in service is a link
    /// to the shipped one: links planted beside it are not written through, and the link
    /// itself is kept as the previous model.
    @Test func aDeployDoesNotWriteThroughALinkAndKeepsTheShippedLinkForRollback() throws {
        let (directory, victim) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = "\(directory)/state/model.json", shipped = "\(directory)/shipped.json", candidate = "\(directory)/candidate.json"
        try "shipped\n".write(toFile: shipped, atomically: true, encoding: .utf8)
        try "candidate\n".write(toFile: candidate, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: shipped)
        try FileManager.default.createSymbolicLink(atPath: target + ".incoming", withDestinationPath: victim)
        try ModelInstaller.install(candidate, at: target)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOfFile: shipped, encoding: .utf8) == "shipped\n", "the link in service was replaced, not written through")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "candidate\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: target)) == nil)
        try ModelInstaller.rollback(at: target)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target) == shipped)
    }
}
