import MailParsing

/// The parser's sink: keeps what the features need, bounded, as the message streams.
struct EvidenceCollector: MessageSink, Sendable {
    var headers: HeaderEvidence
    var text = TextAnalyzer()
    var plainURLs: PlainTextURLScanner
    var links: [HTMLLink] = []
    var parts: [PartSummary] = []
    private var subjectRead = false
    static let maxParts = 200

    init(maxLinks: Int, trustedAuthservIDs: Set<String>) {
        headers = HeaderEvidence(trustedAuthservIDs: trustedAuthservIDs)
        plainURLs = PlainTextURLScanner(maxURLs: maxLinks)
    }

    mutating func header(_ field: HeaderField, depth: Int) {
        guard depth == 0 else { return }
        headers.take(field)
        if !subjectRead, field.isNamed("Subject"), let subject = headers.subject {
            subjectRead = true
            Array(subject.utf8).withUnsafeBytes { text.feed($0, kind: .subject) }
        }
    }

    mutating func visibleText(_ utf8: UnsafeRawBufferPointer, part: Int, isHTML: Bool) {
        text.feed(utf8, kind: isHTML ? .html : .plain)
        if !isHTML { plainURLs.feed(utf8) }
    }

    mutating func link(_ link: HTMLLink, part: Int) {
        links.append(link)
    }

    mutating func partFinished(_ part: PartSummary) {
        // A part boundary is a word and URL boundary.
        text.separator()
        plainURLs.finish()
        if parts.count < Self.maxParts { parts.append(part) }
    }
}
