import Foundation
import Testing

/// `gannet quarantine` and `gannet report` against a real private Postfix whose hold queue the
/// daemon fills (a blocked sender is held inline), with the real postqueue, postcat and postsuper.
@Suite(.serialized, .enabled(if: TestTools.postfixAvailable, "\(TestTools.missing(["postfix", "postqueue", "postsuper", "postcat", "swaks"], needsRoot: true) ?? "")"))
struct QuarantineIntegrationTests {
    /// `gannet ARGS --config <review config> [--postfix-config DIR]` with the daemon's state
    /// directory and a feedback folder named in the configuration.
    struct Review {
        let directory: String
        let postfix: PrivatePostfix

        var configPath: String { "\(directory)/review.toml" }
        var feedback: String { "\(directory)/feedback" }

        func run(_ arguments: [String], postfixConfig: Bool = true) throws -> Command.Result {
            try Command.run(TestTools.gannetBinary, arguments + ["--config", configPath] + (postfixConfig ? ["--postfix-config", postfix.configDirectory] : []))
        }

        func listed(_ filters: [String] = []) throws -> [[String: Any]] {
            let result = try run(["quarantine", "list", "--json"] + filters)
            #expect(result.status == 0, "\(result.combined)")
            return result.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        func filed(_ label: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(feedback)/\(label)")) ?? []).filter { $0.hasSuffix(".eml") }
        }
    }

    @Test func heldMessagesAreListedShownReleasedAndDeleted() throws {
        let directory = try TestTools.temporaryDirectory("qr")
        let decisionLog = "\(directory)/decisions.jsonl"
        let daemon = try DaemonProcess(directory: directory, config: TestConfig.text(metrics: false) + "\n[daemon]\ndecision_log = \"\(decisionLog)\"\n")
        let postfix = try PrivatePostfix(directory: "\(directory)/postfix", milterSocket: daemon.socketPath)
        defer {
            postfix.stop()
            daemon.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try "[daemon]\nstate_dir = \"\(directory)/state\"\ndecision_log = \"\(decisionLog)\"\n[retrain]\nfeedback = [\"\(directory)/feedback\"]\n".write(toFile: "\(directory)/review.toml", atomically: true, encoding: .utf8)
        let review = Review(directory: directory, postfix: postfix)

        #expect(try postfix.send(from: "blocked@evil.example", to: "user@gannet.test", subject: "invoice overdue", body: "Pay now at http://pay.evil.example/login today.").status == 0)
        #expect(try postfix.send(from: "blocked@evil.example", to: "ceo@example.com", subject: "wire transfer").status == 0)
        #expect(try postfix.send(from: "alice@example.org", subject: "lunch").status == 0)
        #expect(try TestTools.waitUntil { try postfix.queue().filter { $0.queueName == "hold" }.count == 2 }, "maillog:\n\(postfix.maillog)")

        // The decision log is written by a thread of its own, a moment after the milter answers.
        #expect(TestTools.waitUntil { ((try? String(contentsOfFile: decisionLog, encoding: .utf8)) ?? "").split(separator: "\n").count == 3 })
        let held = try review.listed()
        #expect(held.count == 2)
        let invoice = try #require(held.first { $0["subject"] as? String == "invoice overdue" })
        let wire = try #require(held.first { $0["subject"] as? String == "wire transfer" })
        #expect(invoice["sender"] as? String == "blocked@evil.example")
        #expect(invoice["recipients"] as? [String] == ["user@gannet.test"])
        #expect(invoice["category"] as? String == "policy" && invoice["score"] as? Double == 1 && invoice["decision"] as? String == "quarantine")
        #expect((invoice["age_seconds"] as? Int).map { $0 >= 0 && $0 < 600 } == true)
        // Held inline, so not in the verdict log: the reasons come from the decision log.
        #expect(invoice["reasons"] as? [String] == ["BLOCKED_SENDER"], "\(invoice)")
        #expect(try review.listed(["--recipient", "ceo@"]).map { $0["subject"] as? String } == ["wire transfer"])
        #expect(try review.listed(["--category", "phishing"]).isEmpty)
        #expect(try review.listed(["--older-than", "1h"]).isEmpty)
        #expect(try review.listed(["--sender", "EVIL.example", "--newer-than", "1h"]).count == 2)
        let table = try review.run(["quarantine", "list"])
        #expect(table.output.contains("2 held message(s)") && table.output.contains("invoice overdue"), "\(table.combined)")

        let invoiceID = try #require(invoice["queue_id"] as? String)
        let wireID = try #require(wire["queue_id"] as? String)
        let shown = try review.run(["quarantine", "show", invoiceID])
        #expect(shown.status == 0, "\(shown.combined)")
        #expect(shown.output.contains("Subject: invoice overdue"))
        #expect(shown.output.contains("hxxp://pay[.]evil[.]example/login"), "\(shown.output)")
        #expect(!shown.output.contains("http://"))
        #expect(shown.output.contains("X-Gannet-Verdict: quarantine score=1.000 category=policy"))

        // Every verdict has an id: in the header, the listing, the decision log and the log line;
        // `explain --id` finds it, and a release or delete takes it for the queue id.
        let invoiceVerdict = try #require(invoice["verdict_id"] as? String)
        #expect(invoiceVerdict.range(of: #"^g-[0-9a-z]{10}$"#, options: .regularExpression) != nil, "\(invoice)")
        #expect(shown.output.contains("Verdict: \(invoiceVerdict) ") && shown.output.contains(" id=\(invoiceVerdict)"), "\(shown.output)")
        let logged = (try? String(contentsOfFile: decisionLog, encoding: .utf8)) ?? ""
        #expect(logged.contains(#""verdict_id":"\#(invoiceVerdict)""#), "\(logged)")
        #expect(TestTools.waitUntil { daemon.log.contains("verdict_id=\(invoiceVerdict)") }, "\(daemon.log)")
        let explained = try review.run(["explain", "--id", invoiceVerdict], postfixConfig: false)
        #expect(explained.status == 0 && explained.output.contains("queue id:  \(invoiceID)") && explained.output.contains("BLOCKED_SENDER"), "\(explained.combined)")
        // The rules it was made with (the starter rules' digest) and what the baselines said.
        #expect(explained.output.range(of: #"rules=[0-9a-f]{12}"#, options: .regularExpression) != nil, "\(explained.output)")
        #expect(explained.output.contains("  baselines: baselines_answered=1"), "\(explained.output)")
        let unknown = try review.run(["explain", "--id", "g-0000000000"], postfixConfig: false)
        #expect(unknown.status != 0 && unknown.errorOutput.contains("no verdict g-0000000000"), "\(unknown.combined)")
        let lunch = try #require(postfix.deliveredMessages().first { $0.contains("Subject: lunch") })
        let lunchVerdict = try #require(lunch.firstMatch(of: /X-Gannet-Verdict: accept [^\n]* id=(g-[0-9a-z]{10})/)?.1)
        #expect(try review.run(["explain", "--id", String(lunchVerdict)], postfixConfig: false).output.contains("decision:  accept"))

        let released = try review.run(["quarantine", "release", invoiceVerdict])
        #expect(released.status == 0, "\(released.combined)")
        #expect(TestTools.waitUntil { postfix.deliveredMessages().contains { $0.contains("Subject: invoice overdue") } }, "not delivered after release; maillog:\n\(postfix.maillog)")
        // A release is a false positive: the daemon takes it in as a clean lesson (and writes it behind).
        #expect(released.output.contains("taught to the baselines as clean"), "\(released.output)")
        #expect(TestTools.waitUntil(timeout: .seconds(30)) {
            let shown = (try? Command.run(TestTools.gannetBinary, ["baselines", "--config", review.configPath, "blocked@evil.example", "--to", "user@gannet.test"]))?.output ?? ""
            return shown.split(separator: "\n").contains { $0.hasPrefix("  sender_known ") && $0.contains(" 1.000 ") }
        }, "the release was not taught; daemon log:\n\(daemon.log)")
        let ham = review.filed("ham")
        #expect(ham.count == 1 && ham.first?.hasPrefix(invoiceID) == true)
        let filedHam = (try? String(contentsOfFile: "\(review.feedback)/ham/\(ham.first ?? "")", encoding: .utf8)) ?? ""
        #expect(filedHam.contains("Subject: invoice overdue") && filedHam.contains("http://pay.evil.example/login"))

        // A list decision says nothing about content: filed only with a label.
        let deleted = try review.run(["quarantine", "delete", "--label", "spam", wireID])
        #expect(deleted.status == 0, "\(deleted.combined)")
        #expect(try postfix.queue().filter { $0.queueName == "hold" }.isEmpty)
        #expect(review.filed("spam").count == 1 && review.filed("phish").isEmpty)
        #expect(!postfix.deliveredMessages().contains { $0.contains("Subject: wire transfer") })

        // Both decisions are labels in the ledger, with who gave them and the verdict they judged.
        let labels = try review.run(["labels", "list", "--json"], postfixConfig: false).output.split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(labels.map { $0["source"] as? String } == ["quarantine-release", "quarantine-delete"], "\(labels)")
        #expect(labels.first?["verdict_id"] as? String == invoiceVerdict && labels.first?["label"] as? String == "ham" && labels.first?["queue_id"] as? String == invoiceID)
        #expect(labels.allSatisfy { ($0["who"] as? String)?.isEmpty == false })

        let again = try review.run(["quarantine", "release", wireID])
        #expect(again.status != 0 && again.errorOutput.contains("not in the hold queue"), "\(again.combined)")
        let injected = try review.run(["quarantine", "delete", "ALL"])
        #expect(injected.status != 0 && injected.errorOutput.contains("is not a Postfix queue id"), "\(injected.combined)")

        let report = try review.run(["report", "--since", "1d", "--json"], postfixConfig: false)
        #expect(report.status == 0, "\(report.combined)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        #expect(summary["releases"] as? Int == 1 && summary["deletions"] as? Int == 1)
        #expect(summary["releases_by_category"] as? [String: Int] == ["policy": 1])
        let decided = try #require(summary["decisions"] as? [String: Any])
        #expect(decided["messages"] as? Int == 3 && decided["defer_rate"] as? Double == 0)
        #expect(decided["by_decision"] as? [String: Int] == ["accept": 1, "quarantine": 2], "\(decided)")
    }
}
