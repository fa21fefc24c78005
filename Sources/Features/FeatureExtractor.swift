import MailParsing

/// The incremental feature extractor. It is fed exactly as libmilter delivers a message —
/// header fields, end of headers, body chunks — so that at end of message only the final
/// arithmetic remains.
///
/// The inline pass stops reading the body at `inlineByteBudget`; the vector is still complete
/// for inline-cheap features and says it was cut. The full pass reads everything.
public struct FeatureExtractor: Sendable {
    public enum Pass: Sendable, Equatable {
        case inline(byteBudget: Int)
        case full
    }

    /// Decoded bytes of each attachment the inline pass sniffs (enough for every signature
    /// except a disk image's, which the file name still betrays).
    public static let inlineAttachmentPrefix = 4_096

    private var parser: MessageParser<EvidenceCollector>
    private let settings: FeatureSettings
    private let pass: Pass
    private var envelope: MessageEnvelope
    private var headerBytes = 0
    private var bodyBytes = 0
    private var cut = false

    public init(settings: FeatureSettings, pass: Pass, envelope: MessageEnvelope = MessageEnvelope(), limits: ParserLimits = ParserLimits()) {
        self.settings = settings
        self.pass = pass
        self.envelope = envelope
        var limits = limits
        if case .inline = pass { limits.attachmentPrefixOnly = Self.inlineAttachmentPrefix }
        self.parser = MessageParser(sink: EvidenceCollector(maxLinks: limits.maxLinks, trustedAuthservIDs: settings.trustedAuthservIDs), limits: limits)
    }

    public mutating func header(name: String, value: String) {
        headerBytes += name.utf8.count + value.utf8.count + 4
        parser.header(name: name, value: value)
    }

    public mutating func endOfHeaders() {
        parser.endOfHeaders()
    }

    public mutating func body(_ chunk: UnsafeRawBufferPointer) {
        bodyBytes += chunk.count
        guard !cut else { return }
        if case .inline(let budget) = pass, parser.structure.bodyBytes + chunk.count > budget {
            let room = max(0, budget - parser.structure.bodyBytes)
            parser.body(UnsafeRawBufferPointer(rebasing: chunk[0..<room]))
            cut = true
            return
        }
        parser.body(chunk)
    }

    public mutating func body(_ chunk: [UInt8]) {
        chunk.withUnsafeBytes { body($0) }
    }

    /// Completes parsing and computes the vector.
    public mutating func finish() -> FeatureVector {
        parser.finish()
        parser.sink.text.separator()
        parser.sink.plainURLs.finish()
        var computation = FeatureComputation(settings: settings, envelope: envelope, evidence: parser.sink, structure: parser.structure)
        computation.sizeBytes = headerBytes + bodyBytes
        computation.cut = cut
        computation.includeFullOnly = pass == .full
        return computation.compute()
    }

    /// The parts the parser saw (for `gannet features` and explanations).
    public var parts: [PartSummary] { parser.sink.parts }
    public var structure: MessageStructure { parser.structure }
    /// The first From mailbox, display name decoded.
    public var from: Mailbox? { parser.sink.headers.from.first }
}
