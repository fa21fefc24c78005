/// The verdict Gannet stamped on a message (`X-Gannet-Verdict: <decision> score=<s>
/// category=<c> model=<id> id=<verdict id>`), read back from the queued copy. For a message decided inline
/// it is the only record of its score and category.
public struct VerdictHeader: Sendable, Equatable {
    public let decision: String
    public let score: Double?
    public let category: String?
    public let model: String?
    /// The verdict's name (`VerdictID`); nil on a header stamped before verdicts had names.
    public let id: String?

    /// Nil when the value does not start with a decision word.
    public init?(_ value: String) {
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard let first = words.first, first.allSatisfy({ $0.isLetter }) else { return nil }
        decision = String(first)
        var fields: [String: String] = [:]
        for word in words.dropFirst() {
            let pair = word.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        score = fields["score"].flatMap(Double.init)
        category = fields["category"]
        model = fields["model"]
        id = fields["id"]
    }
}
