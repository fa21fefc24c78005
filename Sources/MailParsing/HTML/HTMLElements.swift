/// Tags: the bounded tag buffer, what each element means, the stack of open elements (which
/// knows what is hidden), links and counters from start tags, and inline-style checks.
extension HTMLTextExtractor {
    static let maxOpenElements = 256
    static let maxAttributesPerTag = 64

    // MARK: Pending tag

    /// The tag being read: lowercased name and attribute names, raw attribute values, all in one
    /// buffer capped at `HTMLLimits.maxTagBytes`; attribute values are entity-decoded only when
    /// looked at.
    struct PendingTag {
        struct Attribute { var nameStart = 0, nameEnd = 0, valueStart = 0, valueEnd = 0 }

        let capacity: Int
        var bytes: [UInt8] = []
        var attributes: [Attribute] = []
        var isEndTag = false
        var nameEnd = 0
        /// Bytes of source consumed by this tag, '<' and '>' included.
        var rawCount = 0
        var recordingAttribute = false

        init(capacity: Int) {
            self.capacity = capacity
            bytes.reserveCapacity(min(capacity, 1024))
        }

        var oversized: Bool { rawCount > capacity }

        mutating func begin(endTag: Bool, rawCount: Int) {
            bytes.removeAll(keepingCapacity: true)
            attributes.removeAll(keepingCapacity: true)
            isEndTag = endTag
            nameEnd = 0
            self.rawCount = rawCount
            recordingAttribute = false
        }

        mutating func setName(_ name: [UInt8]) {
            store(name.prefix(capacity))
            nameEnd = bytes.count
        }

        mutating func consumeName(_ p: UnsafePointer<UInt8>, _ n: Int) {
            rawCount += n
            storeLowercased(p, n)
        }

        mutating func consumeAttributeName(_ p: UnsafePointer<UInt8>, _ n: Int) {
            rawCount += n
            if recordingAttribute { storeLowercased(p, n) }
        }

        mutating func consumeValue(_ p: UnsafePointer<UInt8>, _ n: Int) {
            rawCount += n
            if recordingAttribute { store(UnsafeBufferPointer(start: p, count: min(n, capacity - bytes.count))) }
        }

        private mutating func storeLowercased(_ p: UnsafePointer<UInt8>, _ n: Int) {
            let count = min(n, capacity - bytes.count)
            guard count > 0 else { return }
            let start = bytes.count
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
            bytes.withUnsafeMutableBufferPointer { buffer in
                for k in start..<buffer.count { buffer[k] = Bytes.lower(buffer[k]) }
            }
        }

        private mutating func store<C: Collection>(_ c: C) where C.Element == UInt8 {
            if !c.isEmpty { bytes.append(contentsOf: c) }
        }

        /// Starts an attribute; false (not recorded) past the per-tag cap.
        mutating func beginAttribute() -> Bool {
            guard attributes.count < HTMLTextExtractor.maxAttributesPerTag else {
                recordingAttribute = false
                return false
            }
            let here = bytes.count
            attributes.append(Attribute(nameStart: here, nameEnd: here, valueStart: here, valueEnd: here))
            recordingAttribute = true
            return true
        }

        mutating func endAttributeName() {
            guard recordingAttribute else { return }
            let here = bytes.count
            attributes[attributes.count - 1].nameEnd = here
            attributes[attributes.count - 1].valueStart = here
            attributes[attributes.count - 1].valueEnd = here
        }

        mutating func beginValue() {
            if recordingAttribute { attributes[attributes.count - 1].valueStart = bytes.count }
        }

        mutating func endValue() {
            if recordingAttribute { attributes[attributes.count - 1].valueEnd = bytes.count }
        }

        func elementName() -> ElementName { ElementName(bytes[..<nameEnd]) }

        /// The first occurrence of each attribute the extractor reads (HTML keeps the first of
        /// duplicated attributes).
        func indexAttributes() -> AttributeIndex {
            var index = AttributeIndex()
            bytes.withUnsafeBufferPointer { buffer in
                for (k, attribute) in attributes.enumerated() {
                    let name = UnsafeBufferPointer(rebasing: buffer[attribute.nameStart..<attribute.nameEnd])
                    index.note(name, at: k)
                }
            }
            return index
        }

        /// Calls `body` with the attribute's value, entity-decoded.
        func withValue<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            bytes.withUnsafeBufferPointer { buffer in
                let attribute = attributes[k]
                let raw = UnsafeBufferPointer(
                    rebasing: buffer[attribute.valueStart..<max(attribute.valueStart, attribute.valueEnd)])
                guard raw.contains(0x26) else { return body(raw) }
                var decoded: [UInt8] = []
                Entities.decodeAttribute(raw, into: &decoded)
                return decoded.withUnsafeBufferPointer(body)
            }
        }

        func decodedValue(_ k: Int) -> [UInt8] { withValue(k) { Array($0) } }
    }

    /// Positions (in `PendingTag.attributes`) of the attributes the extractor reads.
    struct AttributeIndex {
        var href: Int?, src: Int?, action: Int?, style: Int?, hidden: Int?, size: Int?
        var width: Int?, height: Int?, type: Int?, httpEquiv: Int?, content: Int?

        mutating func note(_ name: UnsafeBufferPointer<UInt8>, at k: Int) {
            func first(_ slot: inout Int?, _ literal: StaticString) {
                if slot == nil, name.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)) {
                    slot = k
                }
            }
            switch name.count {
            case 3: first(&src, "src")
            case 4: first(&href, "href"); first(&type, "type"); first(&size, "size")
            case 5: first(&style, "style"); first(&width, "width")
            case 6: first(&hidden, "hidden"); first(&height, "height"); first(&action, "action")
            case 7: first(&content, "content")
            case 10: first(&httpEquiv, "http-equiv")
            default: break
            }
        }
    }

    // MARK: Element kinds

    /// An element name: exact for names up to 16 bytes (all the ones with a meaning here),
    /// hashed beyond.
    struct ElementName: Hashable, Sendable {
        var head: UInt64 = 0
        var tail: UInt64 = 0
        var length = 0

        init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in bytes {
                if length < 8 {
                    head |= UInt64(b) << (8 * UInt64(length))
                } else if length < 16 {
                    tail |= UInt64(b) << (8 * UInt64(length - 8))
                }
                hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3
                length += 1
            }
            if length > 16 { tail = hash }
        }
    }

    struct TagInfo: Sendable {
        enum Kind: UInt8, Sendable {
            case other, a, area, base, form, img, input, meta, script, style, iframe, object, template
            case p, li, list, dd, dt, dl, td, th, tr, table, option, select, br, font
        }

        struct Flags: OptionSet, Sendable {
            let rawValue: UInt16
            static let void = Flags(rawValue: 1)  // never has content or an end tag
            static let block = Flags(rawValue: 2)  // its boundaries separate text with a newline
            static let closesParagraph = Flags(rawValue: 4)  // its start tag ends an open <p>
            static let scopeBoundary = Flags(rawValue: 8)  // implied end tags stop here
            static let rawText = Flags(rawValue: 16)  // content is text up to its end tag
            static let rawVisible = Flags(rawValue: 32)  // that text is shown
            static let decodesReferences = Flags(rawValue: 64)  // that text decodes entities
        }

        var kind: Kind = .other
        var flags: Flags = []
    }

    /// Element names and what the extractor knows about them: open addressing on the packed
    /// name, which spares every tag a keyed hash.
    struct TagTable: Sendable {
        private var names: [ElementName?]
        private var infos: [TagInfo]

        init(_ table: [ElementName: TagInfo]) {
            // A power of two, at least four times the names, so that probes stay short.
            var size = 64
            while size < table.count * 4 { size *= 2 }
            names = [ElementName?](repeating: nil, count: size)
            infos = [TagInfo](repeating: TagInfo(), count: size)
            for (name, info) in table {
                var slot = Self.home(of: name, mask: size - 1)
                while names[slot] != nil { slot = (slot + 1) & (size - 1) }
                names[slot] = name
                infos[slot] = info
            }
        }

        @inline(__always)
        private static func home(of name: ElementName, mask: Int) -> Int {
            Int(truncatingIfNeeded: ((name.head ^ name.tail &* 31) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        }

        subscript(name: ElementName) -> TagInfo? {
            let mask = names.count - 1
            var slot = Self.home(of: name, mask: mask)
            while let candidate = names[slot] {
                if candidate == name { return infos[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    static let tagTable = TagTable(knownTags())

    private static func knownTags() -> [ElementName: TagInfo] {
        var table: [ElementName: TagInfo] = [:]
        func add(_ names: String, _ flags: TagInfo.Flags, _ kind: TagInfo.Kind? = nil) {
            for name in names.split(separator: " ") {
                let key = ElementName(name.utf8)
                var info = table[key] ?? TagInfo()
                info.flags.formUnion(flags)
                if let kind { info.kind = kind }
                table[key] = info
            }
        }
        add("""
            address article aside blockquote center details dialog dir div dl fieldset figcaption figure \
            footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary ul \
            listing li dd dt xmp table
            """, [.block, .closesParagraph])  // table as in standards mode: when unsure, show more
        add("br caption html body legend tbody thead tfoot tr td th option optgroup", .block)
        add("area base br col embed hr img input link meta param source track wbr keygen basefont bgsound frame",
            .void)
        add("applet caption html table td th marquee object template button", .scopeBoundary)
        add("script style iframe noembed noframes", .rawText)
        add("xmp", [.rawText, .rawVisible])
        add("title", [.rawText, .decodesReferences])
        add("textarea", [.rawText, .rawVisible, .decodesReferences])
        let kinds: [(String, TagInfo.Kind)] = [
            ("a", .a), ("area", .area), ("base", .base), ("form", .form), ("img", .img), ("input", .input),
            ("meta", .meta), ("script", .script), ("style", .style), ("iframe", .iframe), ("object", .object),
            ("embed", .object), ("applet", .object), ("template", .template), ("p", .p), ("li", .li),
            ("ul", .list), ("ol", .list), ("dd", .dd), ("dt", .dt), ("dl", .dl), ("td", .td), ("th", .th),
            ("tr", .tr), ("table", .table), ("option", .option), ("select", .select), ("br", .br),
            ("font", .font),
        ]
        for (name, kind) in kinds { add(name, [], kind) }
        return table
    }

    /// Why text is not visible. `hard` cannot be undone by descendants; a descendant can
    /// declare a readable font size or `visibility:visible` again.
    struct Concealment: OptionSet, Sendable {
        let rawValue: UInt8
        static let hard = Concealment(rawValue: 1)
        static let font = Concealment(rawValue: 2)
        static let visibility = Concealment(rawValue: 4)
    }

    struct OpenElement {
        var name: ElementName
        var info: TagInfo
        /// Inherited from ancestors, updated by this element's own attributes and style.
        var concealment: Concealment
        var hidden: Bool { !concealment.isEmpty }
    }

    // MARK: Tags

    /// A complete tag was read: act on it, then return to text (or raw text).
    mutating func finishTag() {
        state = .data
        stats.tags += 1
        let oversized = tag.oversized
        if oversized { stats.oversizedTags += 1 }
        let name = tag.elementName()
        let info = Self.tagTable[name] ?? TagInfo()
        if tag.isEndTag {
            handleEndTag(name, info)
        } else {
            handleStartTag(name, info, oversized ? AttributeIndex() : tag.indexAttributes())
        }
    }

    mutating func handleStartTag(_ name: ElementName, _ info: TagInfo, _ attributes: AttributeIndex) {
        if overflowDepth == 0 { closeImpliedElements(before: info) }
        let style = attributes.style.map { tag.withValue($0, Self.analyzeStyle) } ?? StyleFacts()
        var concealment = currentConcealment
        if attributes.hidden != nil || style.hidden || info.kind == .template { concealment.insert(.hard) }
        // `<font size=…>` sets an absolute size: readable again inside a `font-size:0` container.
        let fontInvisible = style.fontInvisible ?? (info.kind == .font && attributes.size != nil ? false : nil)
        if let invisible = fontInvisible {
            if invisible { concealment.insert(.font) } else { concealment.remove(.font) }
        }
        if let hiddenVisibility = style.visibilityHidden {
            if hiddenVisibility { concealment.insert(.visibility) } else { concealment.remove(.visibility) }
        }
        let hidden = !concealment.isEmpty

        switch info.kind {
        case .a:
            closeAnchor()
            if let href = attributes.href { openAnchor(rawURL: tag.decodedValue(href), hidden: hidden) }
        case .area:
            if let href = attributes.href { addLink(.area, rawURL: tag.decodedValue(href), hidden: hidden) }
        case .form:
            stats.forms += 1
            if let action = attributes.action { addLink(.form, rawURL: tag.decodedValue(action), hidden: hidden) }
        case .img:
            stats.images += 1
            let tinyWidth = attributes.width.map { tag.withValue($0, Self.isAtMostOnePixel) } ?? false
            let tinyHeight = attributes.height.map { tag.withValue($0, Self.isAtMostOnePixel) } ?? false
            if hidden || style.tiny || tinyWidth || tinyHeight { stats.trackingPixels += 1 }
            if let src = attributes.src { addLink(.image, rawURL: tag.decodedValue(src), hidden: hidden) }
        case .input:
            stats.inputs += 1
            if let type = attributes.type, tag.withValue(type, { Self.isKeyword($0, "password") }) {
                stats.passwordInputs += 1
            }
        case .meta:
            if let equiv = attributes.httpEquiv, tag.withValue(equiv, { Self.isKeyword($0, "refresh") }) {
                stats.metaRefresh = true
                if let content = attributes.content, let url = Self.refreshURL(tag.decodedValue(content)) {
                    addLink(.meta, rawURL: url, hidden: hidden)
                }
            }
        case .base:
            if attributes.href != nil { stats.baseHref = true }
        case .script: stats.scripts += 1
        case .style: stats.styles += 1
        case .iframe: stats.iframes += 1
        case .object: stats.objects += 1
        default: break
        }

        if info.flags.contains(.block), !hidden { noteBlockBoundary() }
        if !info.flags.contains(.void) { push(OpenElement(name: name, info: info, concealment: concealment)) }
        if info.flags.contains(.rawText) {
            rawEndName = Array(tag.bytes[..<tag.nameEnd])
            rawVisible = info.flags.contains(.rawVisible)
            rawDecodesReferences = info.flags.contains(.decodesReferences)
            state = .rawData
        }
    }

    mutating func handleEndTag(_ name: ElementName, _ info: TagInfo) {
        switch info.kind {
        case .a:
            closeAnchor()
        case .br:  // "</br>" is a line break in browsers
            if !currentHidden { noteBlockBoundary() }
            return
        default:
            break
        }
        var closedHidden = currentHidden
        if overflowDepth > 0 {
            // Past the cap, end tags first balance the untracked elements.
            overflowDepth -= 1
            if overflowDepth < overflowHiddenDepth { overflowHiddenDepth = 0 }
            updateHidden()
        } else if let k = openElements.lastIndex(where: { $0.name == name }) {
            closedHidden = openElements[k].hidden
            openElements.removeSubrange(k...)
            updateHidden()
        }  // an end tag matching nothing open is ignored
        if info.flags.contains(.block), !closedHidden { noteBlockBoundary() }
    }

    mutating func push(_ element: OpenElement) {
        if openElements.count < Self.maxOpenElements {
            openElements.append(element)
        } else {
            overflowDepth += 1
            stats.nestingOverflows += 1
            if element.hidden, overflowHiddenDepth == 0 { overflowHiddenDepth = overflowDepth }
        }
        updateHidden()
    }

    mutating func updateHidden() {
        currentConcealment = openElements.last?.concealment ?? []
        if overflowHiddenDepth > 0 { currentConcealment.insert(.hard) }
        currentHidden = !currentConcealment.isEmpty
    }

    /// The end tags HTML implies before a start tag, so an unclosed `<p hidden>` or `<li>` does
    /// not swallow the rest of the document: a new li/dd/dt/td/th/tr/option/a closes the previous
    /// one, and block elements close an open paragraph. Where this simplifies HTML's tree
    /// building (no adoption agency, no reconstruction of formatting elements), it errs towards
    /// closing, so text is sooner reported visible than wrongly hidden.
    mutating func closeImpliedElements(before info: TagInfo) {
        switch info.kind {
        case .li:
            closeNearest({ $0 == .li }, stoppingAt: { $0.kind == .list || $0.flags.contains(.scopeBoundary) })
        case .dd, .dt:
            closeNearest({ $0 == .dd || $0 == .dt }, stoppingAt: { $0.kind == .dl || $0.flags.contains(.scopeBoundary) })
        case .td, .th:
            closeNearest({ $0 == .td || $0 == .th }, stoppingAt: { $0.kind == .tr || $0.kind == .table })
        case .tr:
            closeNearest({ $0 == .tr }, stoppingAt: { $0.kind == .table })
        case .option:
            closeNearest({ $0 == .option }, stoppingAt: { $0.kind == .select || $0.flags.contains(.scopeBoundary) })
        case .a:
            closeNearest({ $0 == .a }, stoppingAt: { $0.flags.contains(.scopeBoundary) })
        default:
            break
        }
        if info.flags.contains(.closesParagraph) {
            closeNearest({ $0 == .p }, stoppingAt: { $0.flags.contains(.scopeBoundary) })
        }
    }

    mutating func closeNearest(_ target: (TagInfo.Kind) -> Bool, stoppingAt boundary: (TagInfo) -> Bool) {
        var k = openElements.count - 1
        while k >= 0 {
            let info = openElements[k].info
            if target(info.kind) {
                openElements.removeSubrange(k...)
                updateHidden()
                return
            }
            if boundary(info) { return }
            k -= 1
        }
    }
}
