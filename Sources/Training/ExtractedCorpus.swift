/// A labelled corpus's messages as training reads them: each one's inline and full vectors
/// (behaviour block still zero), label and content digest; nil for one that could not be read.
public struct ExtractedCorpus: Sendable {
    public struct Message: Sendable {
        public let inline: TrainingExample
        public let full: TrainingExample
        public let label: String
        public let digest: [UInt8]
    }

    /// The labelled entries, in corpus order.
    public let entries: [CorpusEntry]
    /// By entry.
    public let messages: [Message?]
}
