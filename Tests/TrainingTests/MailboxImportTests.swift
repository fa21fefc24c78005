import Features
import Testing
import Training

/// Seeding the baselines from stored mail: lessons oldest first, whatever order the files
/// come in, each message once, and the site's own mail told from the mail it receives.
@Suite struct MailboxImportTests {
    static func message(from: String, to: String, date: String?, id: String?) -> [UInt8] {
        Array("From: \(from)\nTo: \(to)\n\(date.map { "Date: \($0)\n" } ?? "")\(id.map { "Message-ID: \($0)\n" } ?? "")Subject: s\n\nBody.\n".utf8)
    }

    @Test func lessonsComeOldestFirstOnceEachAndSentMailIsTheSites() {
        let messages = [
            Self.message(from: "User <user@corp.example>", to: "jane@partner.example", date: "Wed, 3 Dec 2026 10:00:00 +0000", id: "<b@corp.example>"),
            Self.message(from: "Jane <jane@partner.example>", to: "user@corp.example", date: "Tue, 2 Dec 2026 10:00:00 +0000", id: "<a@partner.example>"),
            // The same message in the sent and the received folder of two users.
            Self.message(from: "User <user@corp.example>", to: "jane@partner.example", date: "Wed, 3 Dec 2026 10:00:00 +0000", id: "<b@corp.example>"),
            Self.message(from: "Jane <jane@partner.example>", to: "user@corp.example", date: nil, id: "<c@partner.example>"),
            Self.message(from: "nobody", to: "user@corp.example", date: "Tue, 2 Dec 2026 09:00:00 +0000", id: nil),
        ]
        let (lessons, summary) = MailboxImport(internalDomains: ["corp.example"]).lessons(messages)
        #expect(lessons.map(\.message.fromAddress) == ["jane@partner.example", "user@corp.example"])
        #expect(lessons.map(\.message.at) == [1_796_205_600, 1_796_292_000])
        #expect(lessons.allSatisfy { $0.outcome == .clean })
        #expect(summary.read == 5 && summary.duplicates == 1 && summary.withoutDate == 1 && summary.withoutSender == 1)
        #expect(summary.outgoing == 1 && summary.inbound == 1 && summary.senderDomains == ["partner.example", "corp.example"])
        #expect(lessons.first?.message.fromDisplayName == "Jane")
    }
}
