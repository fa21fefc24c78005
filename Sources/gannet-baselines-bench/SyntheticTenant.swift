import Baselines
import Features
import Training

/// A tenant's mail population: senders spread over external domains with a skewed volume
/// (a few write daily, most rarely), each with a display name, writing to one to three of the
/// tenant's recipients.
struct SyntheticTenant {
    static let internalDomain = "tenant.example"
    /// 2026-01-01T00:00:00Z.
    static let start: Int64 = 1_767_225_600

    let senders: Int
    let recipients: Int

    init(senders: Int, recipients: Int) {
        self.senders = max(senders, 1)
        self.recipients = max(recipients, 1)
    }

    func message(at time: Int64, random: inout SplitMix64, knownSender: Bool) -> BaselineQuery {
        // Squaring a uniform draw skews volume toward low sender numbers.
        let draw = Double(random.next() % 1_000_000) / 1_000_000
        let sender = knownSender ? Int(draw * draw * Double(senders)) : senders + Int(random.next() % 1_000_000)
        let address = "person\(sender)@company\(sender / 5).example"
        let count = 1 + Int(random.next() % 3)
        let to = (0..<count).map { _ in "user\(random.next() % UInt64(recipients))@\(Self.internalDomain)" }
        return BaselineQuery(envelopeSender: address, fromAddress: address, fromDisplayName: "Person Number \(sender)", recipients: to, at: time)
    }
}
