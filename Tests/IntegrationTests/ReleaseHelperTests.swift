import Foundation
import Testing

/// The root helper that runs postsuper for the daemon's release requests, against a recording
/// stand-in for postsuper: what a request can make root do.
@Suite struct ReleaseHelperTests {
    @Test func onlyQueueIDsReachPostsuperAndNeverAll() throws {
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
        for name in ["ALL", "4XyB2kQ7Zn", "not-an-id"] {
            #expect(FileManager.default.createFile(atPath: "\(requests)/\(name)", contents: nil))
        }
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let helper = try Command.run(TestTools.script("release-held.sh"), ["--settle", "0", requests], environment: ["PATH": path])
        #expect(helper.status == 0, "\(helper.combined)")
        let called = (try? String(contentsOfFile: calls, encoding: .utf8)) ?? ""
        #expect(called == "-H 4XyB2kQ7Zn\n", "postsuper was called with: \(called)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: requests).isEmpty, "every request is handled or dropped")
    }
}
