/// Decodes one leaf part: transfer encoding, then charset and HTML for body text, or the
/// attachment analysis. Text it produces waits in `text` for the parser to hand on.
///
/// The stages are optionals mutated in place (not enum payloads) so that no chunk copies a
/// decoder's buffers.
struct LeafProcessor: Sendable {
    private(set) var summary: PartSummary
    private var base64: Base64Decoder?
    private var quotedPrintable: QuotedPrintableDecoder?
    private var charset: CharsetDecoder?
    private var html: HTMLTextExtractor?
    private var attachment: AttachmentAnalyzer?
    private let decodedLimit: Int
    /// Scratch buffers reused across chunks.
    private var decoded: [UInt8] = []
    private var utf8: [UInt8] = []
    /// Visible text produced and not yet taken.
    var text: [UInt8] = []
    /// Set by `finish` for HTML parts.
    private(set) var htmlStats: HTMLStats?

    init(summary: PartSummary, limits: ParserLimits) {
        self.summary = summary
        self.decodedLimit = limits.maxDecodedBytesPerPart
        switch summary.transferEncoding {
        case "base64": base64 = Base64Decoder()
        case "quoted-printable": quotedPrintable = QuotedPrintableDecoder()
        default: break
        }
        if summary.isAttachment {
            attachment = AttachmentAnalyzer(prefixOnly: limits.attachmentPrefixOnly, hashing: limits.hashAttachments)
            return
        }
        charset = CharsetDecoder(charset: summary.charset ?? "utf-8")
        if charset == nil {
            self.summary.unknownCharset = true
            charset = CharsetDecoder(charset: "utf-8")
        }
        if summary.isHTML { html = HTMLTextExtractor(limits: limits.html) }
    }

    mutating func feed(_ raw: UnsafeRawBufferPointer) {
        summary.encodedBytes += raw.count
        guard !summary.truncated, !(attachment?.hasSeenEnough ?? false) else { return }
        if base64 != nil {
            decoded.removeAll(keepingCapacity: true)
            base64!.decode(raw, into: &decoded)
            decodeContent()
        } else if quotedPrintable != nil {
            decoded.removeAll(keepingCapacity: true)
            quotedPrintable!.decode(raw, into: &decoded)
            decodeContent()
        } else {
            consume(raw)
        }
    }

    private mutating func decodeContent() {
        let bytes = decoded
        bytes.withUnsafeBytes { consume($0) }
    }

    private mutating func consume(_ input: UnsafeRawBufferPointer) {
        var bytes = input
        if summary.decodedBytes + bytes.count > decodedLimit {
            bytes = UnsafeRawBufferPointer(rebasing: bytes[0..<max(0, decodedLimit - summary.decodedBytes)])
            summary.truncated = true
        }
        summary.decodedBytes += bytes.count
        guard !bytes.isEmpty else { return }
        if attachment != nil {
            attachment!.feed(bytes)
        } else if html != nil {
            utf8.removeAll(keepingCapacity: true)
            charset!.decode(bytes, into: &utf8)
            utf8.withUnsafeBytes { html!.feed($0) }
            text += html!.takeVisibleText()
        } else {
            charset!.decode(bytes, into: &text)
        }
    }

    /// Flushes every decoder; returns the finished summary and the links of an HTML part.
    mutating func finish() -> (PartSummary, [HTMLLink]) {
        var tail: [UInt8] = []
        if base64 != nil {
            base64!.finish(into: &tail)
            summary.transferDecodeErrors = base64!.invalidCharacters
            summary.transferMalformed = base64!.malformed
        } else if quotedPrintable != nil {
            quotedPrintable!.finish(into: &tail)
            summary.transferDecodeErrors = quotedPrintable!.invalidEscapes
        }
        tail.withUnsafeBytes { consume($0) }
        if attachment != nil {
            attachment!.finish(into: &summary)
            return (summary, [])
        }
        if html != nil {
            utf8.removeAll(keepingCapacity: true)
            charset!.finish(into: &utf8)
            utf8.withUnsafeBytes { html!.feed($0) }
            html!.finish()
            text += html!.takeVisibleText()
            summary.charsetReplacements = charset!.replacementCount
            htmlStats = html!.stats
            return (summary, html!.links)
        }
        charset!.finish(into: &text)
        summary.charsetReplacements = charset!.replacementCount
        return (summary, [])
    }
}
