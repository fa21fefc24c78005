import Foundation
import Testing

/// A verdict made without some signal says so, through a private Postfix and the daemon:
/// its reasons name what was skipped, and `detection.on_incomplete = "defer"` sends an
/// accepting verdict to the full pass instead.
extension PostfixIntegrationTests {
    @Test func aVerdictMadeWithoutAPartSaysSoAndIsScoredInFull() throws {
        let logs = try TestTools.temporaryDirectory("incomplete")
        defer { try? FileManager.default.removeItem(atPath: logs) }
        let decisionLog = "\(logs)/decisions.jsonl"
        let config = TestConfig.text(metrics: false)
            .replacingOccurrences(of: "inline_budget_ms = 2000\n", with: "inline_budget_ms = 2000\non_incomplete = \"defer\"\non_defer = \"accept\"\n")
            + "\n[daemon]\ndecision_log = \"\(decisionLog)\"\n"
        try withMailSystem(config: config) { daemon, postfix in
            try Self.checkIncompleteVerdicts(daemon: daemon, postfix: postfix, decisionLog: decisionLog, logs: logs)
        }
    }

    private static func checkIncompleteVerdicts(daemon: DaemonProcess, postfix: PrivatePostfix, decisionLog: String, logs: String) throws {
        let directory = URL(fileURLWithPath: daemon.socketPath).deletingLastPathComponent().path
        #expect(try postfix.send(from: "alice@example.org", subject: "lunch", body: "See you at noon.").status == 0)
        #expect(try postfix.send(from: "alice@example.org", subject: "minutes", headers: ["Content-Transfer-Encoding: base64"],
                                 body: "This is not base64 at all: ***** ~~~ !!!").status == 0)
        #expect(TestTools.waitUntil { postfix.deliveredMessages().count == 2 }, "maillog:\n\(postfix.maillog)")
        #expect(TestTools.waitUntil { ((try? String(contentsOfFile: decisionLog, encoding: .utf8)) ?? "").split(separator: "\n").count == 2 })
        let lines = try String(contentsOfFile: decisionLog, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        func reasons(_ line: [String: Any]) -> [String] { (line["reasons"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        let complete = try #require(lines.first { !reasons($0).contains("SKIPPED_UNDECODED_PART") })
        let incomplete = try #require(lines.first { reasons($0).contains("SKIPPED_UNDECODED_PART") }, "\(lines)")
        #expect(complete["inline_decision"] as? String == "accept" && !reasons(complete).contains { $0.hasPrefix("SKIPPED_") }, "\(complete)")
        #expect(incomplete["inline_decision"] as? String == "defer" && reasons(incomplete).first == "INLINE_INCOMPLETE", "\(incomplete)")

        // Scored in full, which also says what it could not read; `explain --id` shows both.
        let verdictID = try #require(incomplete["verdict_id"] as? String)
        let verdictLog = "\(directory)/state/verdicts.jsonl"
        #expect(TestTools.waitUntil { ((try? String(contentsOfFile: verdictLog, encoding: .utf8)) ?? "").contains(verdictID) }, "daemon log:\n\(daemon.log)")
        try "[daemon]\nstate_dir = \"\(directory)/state\"\ndecision_log = \"\(decisionLog)\"\n".write(toFile: "\(logs)/review.toml", atomically: true, encoding: .utf8)
        let explained = try Command.run(TestTools.gannetBinary, ["explain", "--id", verdictID, "--config", "\(logs)/review.toml"])
        #expect(explained.status == 0, "\(explained.combined)")
        #expect(explained.output.contains("INLINE_INCOMPLETE") && explained.output.contains("full verdict: clean"), "\(explained.output)")
        #expect(explained.output.components(separatedBy: "SKIPPED_UNDECODED_PART").count == 3, "in the inline and the full verdict:\n\(explained.output)")
    }
}
