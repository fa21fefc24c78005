/// What Gannet does with a message.
public enum Decision: String, Sendable, Codable, CaseIterable {
    /// Deliver it.
    case accept
    /// Put it in Postfix's hold queue.
    case quarantine
    /// The inline pass could not decide; full scoring decides later.
    case `defer`
}

/// The kind of attack a verdict is about, or `clean`.
public enum ThreatCategory: String, Sendable, Codable, CaseIterable {
    case clean
    case phishing
    case bec
    case malware
    case scam
    case spam
    /// Legitimate-looking bulk mail (`BulkMail`) without attack evidence: accepted and tagged.
    case bulk
    /// Decided by an administrator's list, not by content.
    case policy
}
