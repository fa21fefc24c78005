/// Limits that keep hostile HTML bounded.
///
/// Every limit is a counted outcome in `HTMLStats`, never a trap or unbounded memory.
public struct HTMLLimits: Sendable, Equatable {
    /// Links beyond this many are counted in `HTMLStats.linksDropped`, not stored.
    public var maxLinks = 500
    /// A single tag (from `<` to `>`, attributes included) longer than this keeps only its name
    /// (so nesting stays balanced); its attributes are skipped to its `>` and the tag is counted
    /// in `HTMLStats.oversizedTags`.
    public var maxTagBytes = 16_384
    /// Anchor text is cut to this many bytes, on a UTF-8 character boundary.
    public var maxAnchorTextBytes = 256
    /// Longer URLs are truncated to this many bytes (on a UTF-8 character boundary) and counted in
    /// `HTMLStats.truncatedURLs`.
    public var maxURLBytes = 4_096
    public init() {}
}

/// A link found in the HTML, in document order of its start tag.
public struct HTMLLink: Sendable, Equatable {
    /// Where the URL came from: `<a href>`, `<area href>`, `<form action>`, `<img src>`, or the
    /// target of a `<meta http-equiv=refresh>`.
    public enum Kind: String, Sendable { case anchor, area, form, image, meta }
    public let kind: Kind
    /// The attribute value, entity-decoded, with leading and trailing whitespace and control
    /// characters trimmed and internal tabs and newlines removed (as browsers do). Relative URLs
    /// are not resolved. Links whose URL is empty after trimming are not reported.
    public let url: String
    /// Visible text inside `<a>`…`</a>` (the anchor ends at `</a>`, the next `<a>` or the end of
    /// input), whitespace-collapsed to single spaces and capped at
    /// `HTMLLimits.maxAnchorTextBytes`; `""` for other kinds and while the anchor is still open.
    public let anchorText: String
    /// The element carrying the link, or one of its ancestors, is hidden.
    public let hidden: Bool
}

/// Counters describing the document, including every limit that was hit.
public struct HTMLStats: Sendable, Equatable {
    /// Start and end tags seen (comments, doctypes and raw text excluded).
    public var tags = 0
    /// `<script>`, `<style>`, `<form>`, `<input>`, `<input type=password>` and `<iframe>` start tags.
    public var scripts = 0, styles = 0, forms = 0, passwordInputs = 0, inputs = 0, iframes = 0
    /// `<object>`, `<embed>` and `<applet>` start tags.
    public var objects = 0
    /// `<img>` start tags, and those among them that look like tracking pixels: a `width` or
    /// `height` attribute of at most 1, a style width or height of at most 1px, or a hidden image.
    public var images = 0, trackingPixels = 0
    /// Bytes of visible text produced (separators included), and non-whitespace bytes of text
    /// inside hidden elements.
    public var visibleTextBytes = 0, hiddenTextBytes = 0
    /// Links not stored because of `HTMLLimits.maxLinks`; tags longer than `HTMLLimits.maxTagBytes`;
    /// comments (`<!-- -->`, bogus comments `<!…>`, `<?…>`, `</…>` and CDATA sections; not doctypes).
    public var linksDropped = 0, oversizedTags = 0, comments = 0
    /// A `<meta http-equiv=refresh>` was seen; a `<base href>` was seen.
    public var metaRefresh = false, baseHref = false
    /// Invisible characters removed from text: soft hyphen U+00AD, U+200B–U+200F (zero-width
    /// space, non-joiner, joiner, direction marks), U+2060–U+2064 (word joiner, invisible
    /// operators) and U+FEFF. Attackers insert them to break up phrases such as "pass​word".
    public var zeroWidthCharacters = 0
    /// Elements opened beyond the nesting cap (256): they are not tracked individually.
    public var nestingOverflows = 0
    /// Attributes beyond the per-tag cap (64), ignored.
    public var attributesDropped = 0
    /// URLs truncated to `HTMLLimits.maxURLBytes`.
    public var truncatedURLs = 0
    public init() {}
}

/// Streaming HTML reader: feed UTF-8 chunks split anywhere; read visible text as it comes.
///
/// A byte-level tokenizer (after the HTML standard's, simplified) drives a small stack of open
/// elements that knows what is hidden. Memory is bounded by the limits, except the visible text
/// not yet taken with `takeVisibleText()` and the stored links.
///
/// Visible text: whitespace runs (including U+00A0 and the other Unicode spaces) collapse to one
/// space; block-level boundaries (p, div, br, li, tr, td, th, h1–h6, table, …) become a single
/// newline `"\n"`, which absorbs neighbouring spaces. There is never leading or trailing
/// whitespace. Script, style, title, iframe content, comments and hidden elements produce none.
/// `<textarea>` and `<xmp>` content is visible. `<pre>` is collapsed like everything else.
/// Invisible characters (see `HTMLStats.zeroWidthCharacters`) are removed.
///
/// Hidden: an element with the `hidden` attribute, a `<template>`, or an inline `style` with
/// `display:none`, `opacity:0`, `max-height:0`/`height:0` (or widths) with `overflow:hidden`,
/// `visibility:hidden`, or a zero or sub-pixel `font-size` (also via `font:0/0 a`); it hides its
/// descendants until its end tag, except that a descendant may declare a readable font size or
/// `visibility:visible` again, as CSS allows. Stylesheets, classes and colours are not
/// evaluated. Misnested and unclosed tags are handled as HTML mostly does (an end tag closes the
/// nearest open element of its name; new paragraphs, list items, cells and rows close open
/// ones); where this differs from a browser it leans towards reporting text as visible.
public struct HTMLTextExtractor: Sendable {
    // `internal(set)` rather than `private(set)` because the extractor's extensions in the other
    // files of this folder update them; to callers both read as get-only.

    /// Links found so far (capped at `HTMLLimits.maxLinks`).
    public internal(set) var links: [HTMLLink] = []
    /// Counters so far.
    public internal(set) var stats = HTMLStats()

    let limits: HTMLLimits
    var state = TokenizerState.data
    var finished = false

    // Tag under construction, and the bytes after "<!" while telling comment, CDATA and doctype apart.
    var tag: PendingTag
    var markupPrefix: [UInt8] = []
    var commentDashes = 0
    var commentBang = false
    var cdataBrackets = 0

    // Raw text elements (script, style, title, textarea, …): the end tag that closes them.
    var rawEndName: [UInt8] = []
    var rawMatched: [UInt8] = []
    var rawVisible = false
    var rawDecodesReferences = false

    // Character reference in progress.
    var referenceName: [UInt8] = []
    var referenceValue: UInt32 = 0
    var referenceInRaw = false
    var referenceHexMarker: UInt8 = 0x78

    // Open elements; past the depth cap only a count (and whether a hidden one is among them).
    var openElements: [OpenElement] = []
    var overflowDepth = 0
    var overflowHiddenDepth = 0
    var currentConcealment = Concealment()
    var currentHidden = false

    // Visible text: pending separator, and the start of a multi-byte character split by a chunk.
    var visibleOutput: [UInt8] = []
    var pendingSeparator: UInt8 = 0
    var emittedVisibleText = false
    var stash: (UInt8, UInt8) = (0, 0)
    var stashCount = 0

    // The open anchor, whose link is already stored at `anchorLinkIndex`.
    var anchorLinkIndex: Int?
    var anchorText: [UInt8] = []
    var anchorNeedsSpace = false

    /// Creates an extractor; `limits` bound memory and work on hostile input.
    public init(limits: HTMLLimits = HTMLLimits()) {
        self.limits = limits
        self.tag = PendingTag(capacity: max(0, limits.maxTagBytes))
        openElements.reserveCapacity(32)
    }

    /// Feeds the next chunk of UTF-8 HTML; chunks may split anything (tags, entities, characters).
    /// Ignored after `finish()`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard !finished, !bytes.isEmpty else { return }
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            consume(buffer.baseAddress!, buffer.count)
        }
    }

    /// Feeds the next chunk of UTF-8 HTML.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// End of input (flushes a pending entity, an open anchor, etc.). An unterminated tag is
    /// dropped, as browsers do; a lone `<` or `&` is text. Idempotent.
    public mutating func finish() {
        guard !finished else { return }
        switch state {
        case .tagOpen: emitLiteral("<")
        case .endTagOpen: emitLiteral("</")
        case .markupDeclaration: stats.comments += 1
        case .rawLessThan: if rawVisible { emitLiteral("<") }
        case .rawEndTagName:
            if rawVisible { emitLiteral("</"); emitLiteral(rawMatched) }
        case .characterReference: emitLiteral("&")
        case .namedReference: resolveNamedReference(semicolon: false)
        case .numericReference: emitLiteral("&#")
        case .hexReferenceStart: emitLiteral("&#"); emitLiteral([referenceHexMarker])
        case .decimalReference, .hexReference: emitScalar(Entities.numericScalar(referenceValue))
        default: break
        }
        flushStash()
        closeAnchor()
        state = .data
        finished = true
    }

    /// Visible text produced since the last call, UTF-8, whitespace runs collapsed to one space,
    /// block-level boundaries becoming one newline. Concatenating every result gives the same
    /// bytes however the input was chunked (a separator is only written once the text after it
    /// arrives).
    public mutating func takeVisibleText() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &visibleOutput)
        return taken
    }
}

// MARK: - Visible text

/// The visible-text writer: decoded text bytes in, collapsed visible text (and anchor text) out.
///
/// Text arrives in runs between markup. A run is copied in bulk except at whitespace and at the
/// few UTF-8 lead bytes (C2, E2, E3, EF) that may start a Unicode space or an invisible
/// character; a character split by a chunk boundary waits in `stash` until the next run, or is
/// written as-is at the next markup, so the output never depends on chunking.
extension HTMLTextExtractor {
    /// What a possibly special multi-byte sequence turned out to be.
    enum SpecialSequence {
        case needMore  // the bytes so far do not decide
        case keep  // ordinary text: keep the lead byte
        case space(Int)  // a Unicode space of this many bytes
        case invisible(Int)  // a zero-width character of this many bytes
    }

    /// Bytes that can be copied as they are: ASCII other than whitespace and NUL, and every byte
    /// of a multi-byte character except the lead bytes that `classify` must look at.
    @inline(__always) static func isPlainTextByte(_ b: UInt8) -> Bool {
        if b < 0x80 {
            return b > 0x20 || (b < 0x20 && b != 0 && b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D)
        }
        return b != 0xC2 && b != 0xE2 && b != 0xE3 && b != 0xEF
    }

    /// Classifies the sequence at a special lead byte, given the next bytes when available.
    static func classify(_ b0: UInt8, _ b1: UInt8?, _ b2: UInt8?) -> SpecialSequence {
        switch b0 {
        case 0xC2:
            guard let b1 else { return .needMore }
            if b1 == 0xA0 { return .space(2) }  // U+00A0 no-break space
            if b1 == 0xAD { return .invisible(2) }  // U+00AD soft hyphen
            return .keep
        case 0xE2:
            guard let b1 else { return .needMore }
            guard b1 == 0x80 || b1 == 0x81 else { return .keep }
            guard let b2 else { return .needMore }
            if b1 == 0x80 {
                switch b2 {
                case 0x80...0x8A, 0xA8, 0xA9, 0xAF: return .space(3)  // U+2000–200A, U+2028/9, U+202F
                case 0x8B...0x8F: return .invisible(3)  // U+200B–200F
                default: return .keep
                }
            }
            switch b2 {
            case 0x9F: return .space(3)  // U+205F
            case 0xA0...0xA4: return .invisible(3)  // U+2060–2064
            default: return .keep
            }
        case 0xE3:
            guard let b1 else { return .needMore }
            guard b1 == 0x80 else { return .keep }
            guard let b2 else { return .needMore }
            return b2 == 0x80 ? .space(3) : .keep  // U+3000 ideographic space
        case 0xEF:
            guard let b1 else { return .needMore }
            guard b1 == 0xBB else { return .keep }
            guard let b2 else { return .needMore }
            return b2 == 0xBF ? .invisible(3) : .keep  // U+FEFF
        default:
            return .keep
        }
    }

    /// Appends decoded text in the current hidden state.
    mutating func appendText(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        if stashCount > 0 {
            i = resolveStash(p, n, final: false)
            if stashCount > 0 { return }
        }
        var runStart = i
        while i < n {
            let b = p[i]
            if Self.isPlainTextByte(b) {
                i += 1
                continue
            }
            if b >= 0x80 {
                switch Self.classify(b, i + 1 < n ? p[i + 1] : nil, i + 2 < n ? p[i + 2] : nil) {
                case .keep:
                    i += 1
                    continue
                case .needMore:
                    if i > runStart { emitContent(p + runStart, i - runStart) }
                    stash = (p[i], i + 1 < n ? p[i + 1] : 0)
                    stashCount = n - i
                    return
                case .space(let length):
                    if i > runStart { emitContent(p + runStart, i - runStart) }
                    noteSpace()
                    i += length
                case .invisible(let length):
                    if i > runStart { emitContent(p + runStart, i - runStart) }
                    stats.zeroWidthCharacters += 1
                    i += length
                }
            } else {
                if i > runStart { emitContent(p + runStart, i - runStart) }
                if b != 0 { noteSpace() }  // NUL is dropped, as browsers do
                i += 1
            }
            runStart = i
        }
        if i > runStart { emitContent(p + runStart, i - runStart) }
    }

    /// Writes out a stashed partial character at markup or end of input.
    mutating func flushStash() {
        if stashCount > 0 { _ = resolveStash(nil, 0, final: true) }
    }

    /// Continues the byte stream "stash + p": decides the stashed bytes (using up to two bytes of
    /// `p`) and returns how many bytes of `p` that consumed. With `final`, an undecided sequence
    /// is ordinary text. Rare (a chunk boundary inside a special character), so it may allocate.
    mutating func resolveStash(_ p: UnsafePointer<UInt8>?, _ n: Int, final: Bool) -> Int {
        let held = stashCount
        var window = Array([stash.0, stash.1].prefix(held))
        if let p { for k in 0..<min(n, 2) { window.append(p[k]) } }
        stashCount = 0
        var j = 0
        while j < held {
            let b = window[j]
            let sequence: SpecialSequence
            if Self.isPlainTextByte(b) {
                sequence = .keep
            } else if b < 0x80 {
                if b != 0 { noteSpace() }
                j += 1
                continue
            } else {
                sequence = Self.classify(
                    b, j + 1 < window.count ? window[j + 1] : nil, j + 2 < window.count ? window[j + 2] : nil)
            }
            switch sequence {
            case .keep:
                emitContentByte(b)
                j += 1
            case .needMore:
                if final {
                    emitContentByte(b)
                    j += 1
                } else {
                    // Only possible when all of `p` is in the window: keep waiting.
                    stash = (window[j], j + 1 < window.count ? window[j + 1] : 0)
                    stashCount = window.count - j
                    return n
                }
            case .space(let length):
                noteSpace()
                j += length
            case .invisible(let length):
                stats.zeroWidthCharacters += 1
                j += length
            }
        }
        return j - held
    }

    mutating func emitContentByte(_ b: UInt8) {
        withUnsafePointer(to: b) { emitContent($0, 1) }
    }

    /// Non-whitespace text: to the visible output (after any pending separator) and the open
    /// anchor, or to the hidden count.
    mutating func emitContent(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if currentHidden {
            stats.hiddenTextBytes += n
            return
        }
        if pendingSeparator != 0 {
            if emittedVisibleText {
                visibleOutput.append(pendingSeparator)
                stats.visibleTextBytes += 1
            }
            pendingSeparator = 0
        }
        visibleOutput.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        stats.visibleTextBytes += n
        emittedVisibleText = true
        if anchorLinkIndex != nil { appendAnchorText(p, n) }
    }

    /// Whitespace: remembered, written only before the next visible text.
    mutating func noteSpace() {
        guard !currentHidden else { return }
        if pendingSeparator == 0 { pendingSeparator = 0x20 }
        if anchorLinkIndex != nil { anchorNeedsSpace = true }
    }

    /// A block-level boundary (the caller checks that the element is visible).
    mutating func noteBlockBoundary() {
        pendingSeparator = 0x0A
        if anchorLinkIndex != nil { anchorNeedsSpace = true }
    }

    mutating func appendAnchorText(_ p: UnsafePointer<UInt8>, _ n: Int) {
        let cap = limits.maxAnchorTextBytes
        if anchorNeedsSpace {
            if !anchorText.isEmpty, anchorText.count < cap { anchorText.append(0x20) }
            anchorNeedsSpace = false
        }
        let room = cap - anchorText.count
        if room > 0 { anchorText.append(contentsOf: UnsafeBufferPointer(start: p, count: min(n, room))) }
    }

    mutating func emitLiteral(_ text: StaticString) {
        appendText(text.utf8Start, text.utf8CodeUnitCount)
    }

    mutating func emitLiteral(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { appendText(base, buffer.count) }
        }
    }

    /// A decoded character reference, through the same path as literal text (so "&nbsp;" is a
    /// space and "&#8203;" is removed and counted).
    mutating func emitScalar(_ scalar: UInt32) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { buffer in
            let count = Entities.encodeUTF8(scalar, into: buffer)
            appendText(buffer.baseAddress!, count)
        }
    }

    // MARK: Links

    /// Stores a link unless its URL is empty or the link cap is reached; returns its index.
    @discardableResult
    mutating func addLink(_ kind: HTMLLink.Kind, rawURL: [UInt8], hidden: Bool) -> Int? {
        guard let url = cleanURL(rawURL) else { return nil }
        guard links.count < limits.maxLinks else {
            stats.linksDropped += 1
            return nil
        }
        links.append(HTMLLink(kind: kind, url: url, anchorText: "", hidden: hidden))
        return links.count - 1
    }

    /// Trims leading and trailing whitespace and controls, removes tabs and newlines (browsers
    /// ignore them inside URLs: "jav&#10;ascript:" is "javascript:") and applies the length cap.
    mutating func cleanURL(_ raw: [UInt8]) -> String? {
        var low = 0, high = raw.count
        while low < high, raw[low] <= 0x20 { low += 1 }
        while high > low, raw[high - 1] <= 0x20 { high -= 1 }
        guard low < high else { return nil }
        var url: [UInt8] = []
        url.reserveCapacity(high - low)
        for b in raw[low..<high] where b != 0x09 && b != 0x0A && b != 0x0D { url.append(b) }
        let cap = max(0, limits.maxURLBytes)
        if url.count > cap {
            var cut = cap
            while cut > 0, url[cut] & 0xC0 == 0x80 { cut -= 1 }
            url.removeSubrange(cut...)
            stats.truncatedURLs += 1
        }
        return String(decoding: url, as: UTF8.self)
    }

    mutating func openAnchor(rawURL: [UInt8], hidden: Bool) {
        anchorLinkIndex = addLink(.anchor, rawURL: rawURL, hidden: hidden)
        anchorText.removeAll(keepingCapacity: true)
        anchorNeedsSpace = false
    }

    /// Ends the open anchor, storing its text into its link.
    mutating func closeAnchor() {
        guard let index = anchorLinkIndex else { return }
        anchorLinkIndex = nil
        Self.trimIncompleteCharacter(&anchorText)
        while anchorText.last == 0x20 { anchorText.removeLast() }
        let link = links[index]
        links[index] = HTMLLink(
            kind: link.kind, url: link.url, anchorText: String(decoding: anchorText, as: UTF8.self),
            hidden: link.hidden)
    }

    /// Drops a UTF-8 character cut short at the end (by the anchor text cap).
    static func trimIncompleteCharacter(_ bytes: inout [UInt8]) {
        var k = bytes.count - 1
        var continuations = 0
        while k >= 0, bytes[k] & 0xC0 == 0x80, continuations < 3 {
            k -= 1
            continuations += 1
        }
        guard k >= 0 else { return }
        let lead = bytes[k]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        if continuations + 1 < length { bytes.removeSubrange(k...) }
    }
}
