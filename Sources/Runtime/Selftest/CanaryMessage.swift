import Detection
import FilterCore
import Foundation

/// The text of a canary: plain, short, and saying what it is to whoever finds it.
enum CanaryMessage {
    static func bytes(asking decision: Decision, token: String, from sender: String, to recipient: String, host: String, at date: Date) -> [UInt8] {
        let lines = [
            "From: Gannet self-test <\(sender.isEmpty ? recipient : sender)>",
            "To: <\(recipient)>",
            "Subject: Gannet self-test: \(decision.rawValue) canary",
            "Date: \(dateFormatter.string(from: date))",
            "Message-ID: <\(token)@\(host)>",
            "\(SelftestCanary.headerName): \(token)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "Gannet sent this message to itself through the mail system to prove that its",
            "\"\(decision.rawValue)\" decision is carried out ([selftest] in gannet.toml).",
            "It can be discarded.",
        ]
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter
    }()
}
