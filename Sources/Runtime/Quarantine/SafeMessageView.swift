import FilterCore
import Foundation
import MailParsing

/// A held message as an administrator may safely look at it: the headers that matter,
/// decoded; the visible text of each text part (HTML reduced to text by Gannet's own parser,
/// never rendered); the links, defanged; the attachments, described but not opened.
/// Everything printed passes through `Defang`, so no byte of the message reaches the terminal
/// as a control sequence or a clickable link.
public struct SafeMessageView: Sendable {
    /// Headers shown, in this order, when present.
    static let shownHeaders = ["Date", "From", "Sender", "Reply-To", "To", "Cc", "Subject", "Message-ID", "Authentication-Results"]

    public var headers: [(name: String, value: String)] = []
    public var texts: [(part: Int, isHTML: Bool, text: String)] = []
    public var links: [HTMLLink] = []
    public var parts: [PartSummary] = []
    /// The visible text went past `textLimit` and was cut.
    public var textCut = false

    /// Parses the message with the same streaming parser the daemon uses.
    public init(message: [UInt8], textLimit: Int = 64 * 1024) {
        let raw = RawMessage(bytes: message)
        var limits = ParserLimits()
        limits.hashAttachments = true
        var parser = MessageParser(sink: Collector(textLimit: textLimit), limits: limits)
        for field in raw.headers { parser.header(name: field.name, value: field.value) }
        parser.endOfHeaders()
        parser.body(raw.body)
        parser.finish()
        let sink = parser.sink
        for name in Self.shownHeaders {
            for field in sink.headers where field.isNamed(name) {
                headers.append((name, EncodedWords.decode(field.unfoldedValue).text))
            }
        }
        for field in sink.headers where field.name.lowercased().hasPrefix("x-gannet-") {
            headers.append((field.name, field.unfoldedValue))
        }
        texts = sink.texts.map { (part: $0.part, isHTML: $0.isHTML, text: String(decoding: $0.bytes, as: UTF8.self)) }
        links = sink.links
        parts = sink.parts
        textCut = sink.textCut
    }

    /// The view as terminal text.
    public func rendered() -> String {
        var out = ""
        for (name, value) in headers { out += "\(Defang.printable(name)): \(Defang.text(value))\n" }
        for text in texts {
            out += "\n--- part \(text.part) (\(text.isHTML ? "HTML, shown as text" : "text")) ---\n"
            out += Defang.text(text.text).trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        }
        if textCut { out += "\n[text cut: longer than shown]\n" }
        if !links.isEmpty {
            out += "\n--- links (defanged) ---\n"
            for link in links {
                let anchor = link.anchorText.isEmpty ? "" : " \"\(Defang.text(link.anchorText))\""
                out += "\(link.kind.rawValue): \(Defang.url(link.url))\(anchor)\n"
            }
        }
        let attachments = parts.filter { $0.isAttachment || !$0.contentType.hasPrefix("text/") }
        if !attachments.isEmpty {
            out += "\n--- attachments (not opened) ---\n"
            for part in attachments {
                let name = part.filename.map { Defang.text($0) } ?? "(no name)"
                let sniffed = part.sniffedType.map { " sniffed=\($0.rawValue)" } ?? ""
                out += "\(name) type=\(Defang.printable(part.contentType)) bytes=\(part.decodedBytes)\(sniffed)" + (part.sha256.map { " sha256=\($0)" } ?? "") + "\n"
            }
        }
        return out
    }
}

/// What the parser reports, kept for display: top-level headers, text up to a limit, links, parts.
private struct Collector: MessageSink {
    let textLimit: Int
    var headers: [HeaderField] = []
    var texts: [(part: Int, isHTML: Bool, bytes: [UInt8])] = []
    var links: [HTMLLink] = []
    var parts: [PartSummary] = []
    var textBytes = 0
    var textCut = false

    init(textLimit: Int) {
        self.textLimit = textLimit
    }

    mutating func header(_ field: HeaderField, depth: Int) {
        if depth == 0 { headers.append(field) }
    }

    mutating func visibleText(_ utf8: UnsafeRawBufferPointer, part: Int, isHTML: Bool) {
        let room = textLimit - textBytes
        guard room > 0 else {
            textCut = textCut || utf8.count > 0
            return
        }
        let taken = Array(utf8.prefix(room))
        if taken.count < utf8.count { textCut = true }
        textBytes += taken.count
        if let last = texts.last, last.part == part {
            texts[texts.count - 1].bytes += taken
        } else {
            texts.append((part, isHTML, taken))
        }
    }

    mutating func link(_ link: HTMLLink, part: Int) {
        links.append(link)
    }

    mutating func partFinished(_ part: PartSummary) {
        parts.append(part)
    }
}
