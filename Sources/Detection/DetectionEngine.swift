/// An immutable detection snapshot: everything needed to decide a message. A message keeps
/// the snapshot it started with, so a reload never changes a decision half-way.
public struct DetectionEngine: Sendable {
    public let lists: SenderLists
    /// Identifier stamped into every verdict (`model=` in the header).
    public let modelID: String

    public init(lists: SenderLists, modelID: String) {
        self.lists = lists
        self.modelID = modelID
    }

    /// Blocked senders are checked against both the envelope sender and the header From,
    /// because an attacker controls both. Allowing needs the envelope sender to be allowed and
    /// the header From, when present, not to name a different, unlisted domain: otherwise an
    /// allowed envelope could carry any author.
    public func verdict(for evidence: MessageEvidence) -> Verdict {
        let identities = [evidence.envelopeSender, evidence.headerFrom].compactMap { $0 }
        let matches = identities.compactMap(lists.match)
        if let block = matches.first(where: { $0.weight > 0 }) {
            return Verdict(score: 1, decision: .quarantine, category: .policy, reasons: [block], modelID: modelID)
        }
        if let sender = evidence.envelopeSender, let allow = lists.match(sender), allow.weight < 0,
           evidence.headerFrom.map({ lists.match($0) != nil || $0.domain == sender.domain }) ?? true {
            return Verdict(score: 0, decision: .accept, category: .clean, reasons: [allow], modelID: modelID)
        }
        return Verdict(score: 0, decision: .accept, category: .clean, reasons: [], modelID: modelID)
    }
}
