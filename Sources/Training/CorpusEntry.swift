/// One labelled message of a training corpus.
public struct CorpusEntry: Sendable, Equatable {
    /// Where the message comes from: a file path, or `mbox#index` for a message in an mbox.
    public let location: String
    /// `ham`, `spam`, `phish`, or "" when the source carries no label.
    public let label: String
    public let source: String
    public let split: String
    /// Attack category when the corpus says it (a fifth manifest column: phishing, bec,
    /// malware, scam, spam); "" leaves evaluation to its heuristic.
    public let category: String
    /// The message itself when it came from an mbox; file entries are read when used.
    public let inlineBytes: [UInt8]?

    public init(location: String, label: String, source: String = "", split: String = "", category: String = "", inlineBytes: [UInt8]? = nil) {
        self.location = location
        self.label = label
        self.source = source
        self.split = split
        self.category = category
        self.inlineBytes = inlineBytes
    }
}
