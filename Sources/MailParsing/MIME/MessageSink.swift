/// Receives what the parser finds as it streams. The feature extractor is one; tests record.
public protocol MessageSink {
    /// A header field of the message (depth 0) or of an attached message (depth ≥ 1).
    mutating func header(_ field: HeaderField, depth: Int)
    /// Visible body text, UTF-8, in pieces whose boundaries depend on chunking (consumers must
    /// not care where a piece ends).
    mutating func visibleText(_ utf8: UnsafeRawBufferPointer, part: Int, isHTML: Bool)
    /// A link found in an HTML part, when the part ends.
    mutating func link(_ link: HTMLLink, part: Int)
    /// A leaf part is complete.
    mutating func partFinished(_ part: PartSummary)
}
