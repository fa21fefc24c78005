import Foundation
import Testing

/// Day-one baselines: a site's existing mail (a Maildir with its Sent folder, an mbox) seeds
/// the embedded store before the daemon starts, and the first message through Postfix that
/// borrows a correspondent's name from a new address is caught on that history.
extension PostfixIntegrationTests {
    static func importConfig(_ directory: String, decisionLog: String) -> String {
        TestConfig.text(metrics: false).replacingOccurrences(of: "inline_budget_ms = 2000\n", with: "inline_budget_ms = 2000\ninternal_domains = [\"gannet.test\"]\n")
            + "\n[daemon]\nstate_dir = \"\(directory)/state\"\ndecision_log = \"\(decisionLog)\"\n"
    }

    /// The mailbox starts a month ago, at midnight UTC: older history would be forgotten.
    static let start = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - 30 * 86_400

    /// A user's mailbox: Jane writes every other day for three weeks and the user answers.
    static func writeMailbox(_ directory: String) throws {
        let start = Self.start
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        formatter.timeZone = TimeZone(identifier: "UTC")
        for folder in ["Maildir/cur", "Maildir/new", "Maildir/tmp", "Maildir/.Sent/cur", "Maildir/.Sent/new", "Maildir/.Sent/tmp"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
        }
        for day in stride(from: 0, to: 21, by: 2) {
            let date = formatter.string(from: Date(timeIntervalSince1970: start + Double(day) * 86_400))
            try "From: Jane Partner <jane@partner.example>\nTo: user@gannet.test\nDate: \(date)\nMessage-ID: <j\(day)@partner.example>\nSubject: order \(day)\n\nThe order ships Friday.\n"
                .write(toFile: "\(directory)/Maildir/cur/\(day).jane:2,S", atomically: true, encoding: .utf8)
            let reply = formatter.string(from: Date(timeIntervalSince1970: start + Double(day) * 86_400 + 3_600))
            try "From: User <user@gannet.test>\nTo: Jane Partner <jane@partner.example>\nDate: \(reply)\nMessage-ID: <u\(day)@gannet.test>\nSubject: Re: order \(day)\n\nThanks.\n"
                .write(toFile: "\(directory)/Maildir/.Sent/cur/\(day).user:2,S", atomically: true, encoding: .utf8)
        }
        let news = formatter.string(from: Date(timeIntervalSince1970: start + 86_400 + 36_000))
        try "From MAILER-DAEMON Thu Jan  2 10:00:00 2025\nFrom: News <news@letters.example>\nTo: user@gannet.test\nDate: \(news)\nSubject: news\n\nNews.\n\nFrom MAILER-DAEMON Thu Jan  2 11:00:00 2025\nFrom: nobody\nSubject: no date\n\nBroken.\n"
            .write(toFile: "\(directory)/archive.mbox", atomically: true, encoding: .utf8)
    }

    @Test func importedMailCatchesTheFirstImpersonationOfACorrespondent() throws {
        let logs = try TestTools.temporaryDirectory("import")
        defer { try? FileManager.default.removeItem(atPath: logs) }
        let decisionLog = "\(logs)/decisions.jsonl"
        try withMailSystem(configFor: { Self.importConfig($0, decisionLog: decisionLog) }, prepare: { directory in
            try Self.writeMailbox(logs)
            try Self.importConfig(directory, decisionLog: decisionLog).write(toFile: "\(logs)/import.toml", atomically: true, encoding: .utf8)
            let imported = try Command.run(TestTools.gannetBinary, ["baselines", "import", "--config", "\(logs)/import.toml", "\(logs)/Maildir", "\(logs)/archive.mbox"])
            #expect(imported.status == 0, "\(imported.combined)")
            #expect(imported.output.contains("read 24 messages"), "\(imported.output)")
            #expect(imported.output.contains("skipped: 1 without a sender, 0 without a date"), "\(imported.output)")
            let span = [Self.start, Self.start + 20 * 86_400 + 3_600].map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
            #expect(imported.output.contains("learnt 23 messages from \(span[0]) to \(span[1]): 11 sent by the site, 12 received"), "\(imported.output)")
            let shown = try Command.run(TestTools.gannetBinary, ["baselines", "jane@partner.example", "--name", "Jane Partner", "--to", "user@gannet.test", "--config", "\(logs)/import.toml"])
            #expect(shown.output.contains("  sender_known ") && shown.output.split(separator: "\n").contains { $0.hasPrefix("  sender_known ") && $0.contains(" 1.000 ") }, "\(shown.output)")
            #expect(shown.output.split(separator: "\n").contains { $0.hasPrefix("  pair_reply_share ") && !$0.contains(" 0.000 ") }, "replies were learnt:\n\(shown.output)")
        }) { (daemon: DaemonProcess, postfix: PrivatePostfix) throws in
            // Jane's name from an address she never wrote from, to a user she writes to.
            #expect(try postfix.send(from: "jane.partner@freemail.example", subject: "new bank details", fromHeader: "Jane Partner <jane.partner@freemail.example>",
                                     body: "Please use our new account for the next payment.").status == 0)
            #expect(TestTools.waitUntil { ((try? String(contentsOfFile: decisionLog, encoding: .utf8)) ?? "").contains("KNOWN_NAME_NEW_ADDRESS") },
                    "decision log:\n\((try? String(contentsOfFile: decisionLog, encoding: .utf8)) ?? "")\ndaemon log:\n\(daemon.log)")
        }
    }
}
