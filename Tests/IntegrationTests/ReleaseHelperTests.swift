import Foundation
import Testing

/// The root helper that runs postsuper for the daemon's release requests, against a recording
/// stand-in for postsuper: what a request can make root do.
@Suite struct ReleaseHelperTests {
    /// One verdict-log line as the daemon writes it (keys sorted).
    private static func verdictLine(queueID: String, outcome: String, action: String) -> String {
        let summary = #"{"category":"clean","decision":"defer","model":"m","reasons":[],"score":0.5}"#
        return #"{"action":"\#(action)","decided_at":2,"inline":\#(summary),"job_id":"j\#(queueID)","outcome":"\#(outcome)","queue_id":"\#(queueID)","recipients":["bob@example.org"],"sender":"alice@example.org","spooled_at":1}"#
    }

    @Test func onlyIDsGannetHeldAndFoundCleanReachPostsuperAndNeverAll() throws {
        let directory = try TestTools.temporaryDirectory("release-helper")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bin = "\(directory)/bin", requests = "\(directory)/requests", calls = "\(directory)/calls"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: requests, withIntermediateDirectories: true)
        try """
            #!/bin/sh
            echo "$*" >> \(calls)
            echo "postsuper: Released from hold: 1 message"
            """.write(toFile: "\(bin)/postsuper", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(bin)/postsuper")
        try FileManager.default.createSymbolicLink(atPath: "\(bin)/gannet", withDestinationPath: TestTools.gannetBinary)
        // Clean and held: released. Clean then malicious on a second pass: the last verdict
        // keeps it held. Malicious, clean but delivered, and never seen: not Gannet's to release.
        let log = [
            Self.verdictLine(queueID: "4XyB2kQ7Zn", outcome: "clean", action: "hold"),
            Self.verdictLine(queueID: "5RelApsed", outcome: "clean", action: "hold"),
            Self.verdictLine(queueID: "6Malware", outcome: "malicious", action: "hold"),
            Self.verdictLine(queueID: "7Delivered", outcome: "clean", action: "accept"),
            Self.verdictLine(queueID: "5RelApsed", outcome: "malicious", action: "hold"),
            "{torn line",
        ].joined(separator: "\n")
        try log.write(toFile: "\(directory)/verdicts.jsonl", atomically: true, encoding: .utf8)
        try "[async]\nverdict_log = \"\(directory)/verdicts.jsonl\"\n".write(toFile: "\(directory)/gannet.toml", atomically: true, encoding: .utf8)
        for name in ["ALL", "4XyB2kQ7Zn", "5RelApsed", "6Malware", "7Delivered", "8HeldByOthers", "not-an-id"] {
            #expect(FileManager.default.createFile(atPath: "\(requests)/\(name)", contents: nil))
        }
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let helper = try Command.run(TestTools.script("release-held.sh"), ["--gannet-config", "\(directory)/gannet.toml", "--settle", "0", requests], environment: ["PATH": path])
        #expect(helper.status == 0, "\(helper.combined)")
        let called = (try? String(contentsOfFile: calls, encoding: .utf8)) ?? ""
        #expect(called == "-H 4XyB2kQ7Zn\n", "postsuper was called with: \(called)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: requests).isEmpty, "every request is handled or dropped")
        for refused in ["5RelApsed", "6Malware", "7Delivered", "8HeldByOthers"] {
            #expect(helper.combined.contains("\(refused): refused"), "\(helper.combined)")
        }
    }
}
