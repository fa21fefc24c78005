/// The byte-level tokenizer: a state machine over UTF-8 after the HTML standard's, simplified
/// (no foreign content, no script-data escapes), resumable at any byte.
extension HTMLTextExtractor {
    enum TokenizerState: UInt8 {
        case data
        case tagOpen, endTagOpen, tagName
        case beforeAttributeName, attributeName, afterAttributeName, beforeAttributeValue
        case attributeValueDoubleQuoted, attributeValueSingleQuoted, attributeValueUnquoted
        case afterAttributeValueQuoted, selfClosingStartTag
        case markupDeclaration, comment, bogusComment, cdata
        case rawData, rawLessThan, rawEndTagName
        case characterReference, namedReference, numericReference, hexReferenceStart
        case decimalReference, hexReference
    }

    /// Runs the state machine over one chunk. Each state either consumes bytes or switches to a
    /// state that will ("reprocess"), so the loop always advances. Runs of text, attribute values
    /// and comments are scanned in tight loops and copied in bulk.
    mutating func consume(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        while i < n {
            switch state {
            case .data:
                let start = i
                i = UnsafeRawBufferPointer(start: p, count: n).firstIndex(of: 0x3C, or: 0x26, from: i) ?? n  // '<' '&'
                if i > start { appendText(p + start, i - start) }
                guard i < n else { return }
                flushStash()
                if p[i] == 0x3C { state = .tagOpen } else { beginReference(inRaw: false) }
                i += 1

            case .tagOpen:
                let b = p[i]
                if Bytes.isAlpha(b) {
                    tag.begin(endTag: false, rawCount: 1)
                    state = .tagName
                } else if b == 0x2F {  // '/'
                    state = .endTagOpen
                    i += 1
                } else if b == 0x21 {  // '!'
                    markupPrefix.removeAll(keepingCapacity: true)
                    state = .markupDeclaration
                    i += 1
                } else if b == 0x3F {  // '?': processing instruction, a bogus comment
                    stats.comments += 1
                    state = .bogusComment
                    i += 1
                } else {  // "<" not starting a tag is text
                    emitLiteral("<")
                    state = .data
                }

            case .endTagOpen:
                let b = p[i]
                if Bytes.isAlpha(b) {
                    tag.begin(endTag: true, rawCount: 2)
                    state = .tagName
                } else if b == 0x3E {  // "</>" is dropped
                    state = .data
                    i += 1
                } else {
                    stats.comments += 1
                    state = .bogusComment
                }

            case .tagName:
                let start = i
                while i < n, !Bytes.endsTagName(p[i]) { i += 1 }
                tag.consumeName(p + start, i - start)
                guard i < n else { return }
                let b = p[i]
                i += 1
                tag.rawCount += 1
                tag.nameEnd = tag.bytes.count
                if b == 0x3E {
                    finishTag()
                } else if b == 0x2F {
                    state = .selfClosingStartTag
                } else {
                    state = .beforeAttributeName
                }

            case .beforeAttributeName:
                let b = p[i]
                if Bytes.isWhitespace(b) {
                    i += 1
                    tag.rawCount += 1
                } else if b == 0x2F {
                    i += 1
                    tag.rawCount += 1
                    state = .selfClosingStartTag
                } else if b == 0x3E {
                    i += 1
                    tag.rawCount += 1
                    finishTag()
                } else {
                    if !tag.beginAttribute() { stats.attributesDropped += 1 }
                    if b == 0x3D {  // a leading '=' belongs to the name
                        tag.consumeAttributeName(p + i, 1)
                        i += 1
                    }
                    state = .attributeName
                }

            case .attributeName:
                let start = i
                while i < n, !Bytes.endsAttributeName(p[i]) { i += 1 }
                tag.consumeAttributeName(p + start, i - start)
                guard i < n else { return }
                let b = p[i]
                i += 1
                tag.rawCount += 1
                tag.endAttributeName()
                switch b {
                case 0x3D: state = .beforeAttributeValue
                case 0x3E: finishTag()
                case 0x2F: state = .selfClosingStartTag
                default: state = .afterAttributeName
                }

            case .afterAttributeName:
                let b = p[i]
                if Bytes.isWhitespace(b) {
                    i += 1
                    tag.rawCount += 1
                } else if b == 0x2F {
                    i += 1
                    tag.rawCount += 1
                    state = .selfClosingStartTag
                } else if b == 0x3D {
                    i += 1
                    tag.rawCount += 1
                    state = .beforeAttributeValue
                } else if b == 0x3E {
                    i += 1
                    tag.rawCount += 1
                    finishTag()
                } else {
                    if !tag.beginAttribute() { stats.attributesDropped += 1 }
                    state = .attributeName
                }

            case .beforeAttributeValue:
                let b = p[i]
                if Bytes.isWhitespace(b) {
                    i += 1
                    tag.rawCount += 1
                } else if b == 0x22 || b == 0x27 {
                    i += 1
                    tag.rawCount += 1
                    tag.beginValue()
                    state = b == 0x22 ? .attributeValueDoubleQuoted : .attributeValueSingleQuoted
                } else if b == 0x3E {  // "name=>": empty value
                    i += 1
                    tag.rawCount += 1
                    finishTag()
                } else {
                    tag.beginValue()
                    state = .attributeValueUnquoted
                }

            case .attributeValueDoubleQuoted, .attributeValueSingleQuoted:
                let quote: UInt8 = state == .attributeValueDoubleQuoted ? 0x22 : 0x27
                let start = i
                while i < n, p[i] != quote { i += 1 }
                tag.consumeValue(p + start, i - start)
                guard i < n else { return }
                i += 1
                tag.rawCount += 1
                tag.endValue()
                state = .afterAttributeValueQuoted

            case .attributeValueUnquoted:
                let start = i
                while i < n, !Bytes.isWhitespace(p[i]), p[i] != 0x3E { i += 1 }
                tag.consumeValue(p + start, i - start)
                guard i < n else { return }
                let b = p[i]
                i += 1
                tag.rawCount += 1
                tag.endValue()
                if b == 0x3E { finishTag() } else { state = .beforeAttributeName }

            case .afterAttributeValueQuoted:
                let b = p[i]
                if Bytes.isWhitespace(b) {
                    i += 1
                    tag.rawCount += 1
                    state = .beforeAttributeName
                } else if b == 0x2F {
                    i += 1
                    tag.rawCount += 1
                    state = .selfClosingStartTag
                } else if b == 0x3E {
                    i += 1
                    tag.rawCount += 1
                    finishTag()
                } else {
                    state = .beforeAttributeName
                }

            case .selfClosingStartTag:
                // "/>" only matters for void elements, which never stay open anyway (HTML
                // ignores it on others), so it is not recorded.
                if p[i] == 0x3E {
                    i += 1
                    tag.rawCount += 1
                    finishTag()
                } else {
                    state = .beforeAttributeName
                }

            case .markupDeclaration:
                let b = p[i]
                markupPrefix.append(b)
                switch Self.classifyMarkup(markupPrefix) {
                case .partial:
                    i += 1
                case .comment:
                    i += 1
                    stats.comments += 1
                    // Counting the opening dashes makes "<!-->" and "<!--->" end at once, as in HTML.
                    commentDashes = 2
                    commentBang = false
                    state = .comment
                case .cdata:
                    i += 1
                    stats.comments += 1
                    cdataBrackets = 0
                    state = .cdata
                case .doctype:
                    i += 1
                    state = .bogusComment
                case .other:
                    stats.comments += 1
                    state = .bogusComment  // reprocess: the byte may be its '>'
                }

            case .comment:
                while i < n {
                    let b = p[i]
                    i += 1
                    if b == 0x2D {  // '-'
                        if commentBang {
                            commentDashes = 1
                            commentBang = false
                        } else if commentDashes < 2 {
                            commentDashes += 1
                        }
                    } else if b == 0x3E, commentDashes >= 2 || commentBang {  // "-->" or "--!>"
                        state = .data
                        break
                    } else if b == 0x21, commentDashes >= 2, !commentBang {
                        commentBang = true
                    } else {
                        commentDashes = 0
                        commentBang = false
                    }
                }

            case .bogusComment:
                while i < n, p[i] != 0x3E { i += 1 }
                guard i < n else { return }
                i += 1
                state = .data

            case .cdata:
                while i < n {
                    let b = p[i]
                    i += 1
                    if b == 0x5D {  // ']'
                        cdataBrackets = min(cdataBrackets + 1, 2)
                    } else if b == 0x3E, cdataBrackets >= 2 {
                        state = .data
                        break
                    } else {
                        cdataBrackets = 0
                    }
                }

            case .rawData:
                let start = i
                if rawVisible && rawDecodesReferences {
                    i = UnsafeRawBufferPointer(start: p, count: n).firstIndex(of: 0x3C, or: 0x26, from: i) ?? n
                } else {
                    i = UnsafeRawBufferPointer(start: p, count: n).firstIndex(of: 0x3C, from: i) ?? n
                }
                if rawVisible, i > start { appendText(p + start, i - start) }
                guard i < n else { return }
                if rawVisible { flushStash() }
                if p[i] == 0x3C { state = .rawLessThan } else { beginReference(inRaw: true) }
                i += 1

            case .rawLessThan:
                if p[i] == 0x2F {
                    rawMatched.removeAll(keepingCapacity: true)
                    state = .rawEndTagName
                    i += 1
                } else {
                    if rawVisible { emitLiteral("<") }
                    state = .rawData
                }

            case .rawEndTagName:
                let b = p[i]
                let matched = rawMatched.count
                if matched < rawEndName.count {
                    if Bytes.lower(b) == rawEndName[matched] {
                        rawMatched.append(b)
                        i += 1
                        continue
                    }
                } else if Bytes.isWhitespace(b) || b == 0x2F || b == 0x3E {
                    // The end tag of the raw text element: continue as an ordinary end tag.
                    tag.begin(endTag: true, rawCount: 2 + matched)
                    tag.setName(rawEndName)
                    i += 1
                    tag.rawCount += 1
                    if b == 0x3E {
                        finishTag()
                    } else {
                        state = b == 0x2F ? .selfClosingStartTag : .beforeAttributeName
                    }
                    continue
                }
                if rawVisible {
                    emitLiteral("</")
                    emitLiteral(rawMatched)
                }
                state = .rawData

            case .characterReference:
                let b = p[i]
                if Bytes.isAlphanumeric(b) {
                    state = .namedReference
                } else if b == 0x23 {  // '#'
                    i += 1
                    state = .numericReference
                } else {
                    emitLiteral("&")
                    state = referenceReturnState
                }

            case .namedReference:
                let b = p[i]
                if Bytes.isAlphanumeric(b) {
                    if referenceName.count < Entities.maxNameLength {
                        referenceName.append(b)
                        i += 1
                    } else {  // longer than any entity: plain text
                        emitLiteral("&")
                        emitLiteral(referenceName)
                        state = referenceReturnState
                    }
                } else if b == 0x3B {  // ';'
                    i += 1
                    resolveNamedReference(semicolon: true)
                    state = referenceReturnState
                } else {
                    resolveNamedReference(semicolon: false)
                    state = referenceReturnState
                }

            case .numericReference:
                let b = p[i]
                if b == 0x78 || b == 0x58 {  // 'x' 'X'
                    referenceHexMarker = b
                    i += 1
                    state = .hexReferenceStart
                } else if Bytes.isDigit(b) {
                    referenceValue = 0
                    state = .decimalReference
                } else {
                    emitLiteral("&#")
                    state = referenceReturnState
                }

            case .hexReferenceStart:
                if Bytes.hexDigitValue(p[i]) != nil {
                    referenceValue = 0
                    state = .hexReference
                } else {
                    emitLiteral("&#")
                    emitLiteral([referenceHexMarker])
                    state = referenceReturnState
                }

            case .decimalReference, .hexReference:
                let hex = state == .hexReference
                let radix: UInt32 = hex ? 16 : 10
                while i < n, let d = hex ? Bytes.hexDigitValue(p[i]) : Bytes.decimalDigitValue(p[i]) {
                    // Saturate just past the Unicode range: the value only needs to be "too big".
                    referenceValue = min(referenceValue * radix + d, 0x11_0000)
                    i += 1
                }
                guard i < n else { return }
                if p[i] == 0x3B { i += 1 }
                emitScalar(Entities.numericScalar(referenceValue))
                state = referenceReturnState
            }
        }
    }

    var referenceReturnState: TokenizerState { referenceInRaw ? .rawData : .data }

    mutating func beginReference(inRaw: Bool) {
        referenceInRaw = inRaw
        referenceName.removeAll(keepingCapacity: true)
        referenceValue = 0
        state = .characterReference
    }

    /// Named reference in text: exact match when terminated by ';', otherwise (or when unknown)
    /// the longest legacy name that HTML accepts without ';' ("&copy2024" is "©2024").
    mutating func resolveNamedReference(semicolon: Bool) {
        let name = referenceName
        if semicolon, let scalar = Entities.lookup(String(decoding: name, as: UTF8.self)) {
            emitScalar(scalar)
        } else if let (length, scalar) = Entities.longestLegacyPrefix(name) {
            emitScalar(scalar)
            if length < name.count { emitLiteral(Array(name[length...])) }
            if semicolon { emitLiteral(";") }
        } else {
            emitLiteral("&")
            emitLiteral(name)
            if semicolon { emitLiteral(";") }
        }
    }

    enum MarkupKind { case partial, comment, cdata, doctype, other }

    static let markupDashes: [UInt8] = [0x2D, 0x2D]
    static let markupCDATA = Array("[CDATA[".utf8)
    static let markupDoctype = Array("doctype".utf8)

    /// Tells what follows "<!" from the bytes seen so far.
    static func classifyMarkup(_ prefix: [UInt8]) -> MarkupKind {
        let count = prefix.count
        let dashes = markupDashes, cdata = markupCDATA, doctype = markupDoctype
        var partial = false
        if count <= 2, prefix.elementsEqual(dashes.prefix(count)) {
            if count == 2 { return .comment }
            partial = true
        }
        if count <= cdata.count, prefix.elementsEqual(cdata.prefix(count)) {
            if count == cdata.count { return .cdata }
            partial = true
        }
        if count <= doctype.count, prefix.lazy.map(Bytes.lower).elementsEqual(doctype.prefix(count)) {
            if count == doctype.count { return .doctype }
            partial = true
        }
        return partial ? .partial : .other
    }
}

extension HTMLTextExtractor {
    /// ASCII byte predicates used by the tokenizer.
    enum Bytes {
        @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
            b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C
        }
        @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
        @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
        @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
        @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
        @inline(__always) static func endsTagName(_ b: UInt8) -> Bool {
            b == 0x3E || b == 0x2F || isWhitespace(b)
        }
        @inline(__always) static func endsAttributeName(_ b: UInt8) -> Bool {
            b == 0x3D || b == 0x3E || b == 0x2F || isWhitespace(b)
        }
        @inline(__always) static func decimalDigitValue(_ b: UInt8) -> UInt32? {
            isDigit(b) ? UInt32(b &- 0x30) : nil
        }
        @inline(__always) static func hexDigitValue(_ b: UInt8) -> UInt32? {
            if isDigit(b) { return UInt32(b &- 0x30) }
            let l = b | 0x20
            return l &- 0x61 < 6 ? UInt32(l &- 0x61 + 10) : nil
        }
    }
}
