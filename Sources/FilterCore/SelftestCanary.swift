import Detection

/// Canary messages Gannet sends itself through the MTA (`[selftest]`) to prove that each
/// decision is carried out. A canary names its one-time token in a header; only a token
/// Gannet issued and has not seen yet makes a message a canary, so a sender who copies the
/// header gets an ordinary verdict.
public protocol CanaryClaims: Sendable {
    /// The decision the canary with `token` asks for, claimed once by the message queued as
    /// `queueID`: nil for a token Gannet did not issue, or one already claimed or expired.
    func claim(_ token: String, queueID: String?) -> Decision?
}

/// A message recognised as a canary at end of message.
public struct CanaryNote: Sendable, Equatable {
    public let token: String
    /// The decision it asked for, which it got.
    public let asked: Decision

    public init(token: String, asked: Decision) {
        self.token = token
        self.asked = asked
    }
}

public enum SelftestCanary {
    /// The header a canary carries its token in.
    public static let headerName = "X-Gannet-Selftest"
    /// The reason every canary verdict starts with, inline and in full.
    public static let reason = Reason(name: "SELFTEST_CANARY", weight: 0)
    /// Longest token looked at; Gannet's are 32 hexadecimal digits.
    static let maximumTokenLength = 64

    /// True for a verdict made on a canary.
    public static func marks(_ reasons: [Reason]) -> Bool {
        reasons.first == reason
    }
}

extension Verdict {
    /// The full verdict on a canary: clean whatever it scored, so a held canary is released.
    public var forCanary: Verdict {
        Verdict(score: score, logOdds: logOdds, decision: .accept, category: .policy, reasons: [SelftestCanary.reason] + reasons, modelID: modelID)
    }
}
