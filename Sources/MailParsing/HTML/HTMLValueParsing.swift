/// Value-level parsing: character references (in text and attribute values), inline styles,
/// pixel dimensions and meta refresh targets.
extension HTMLTextExtractor {
    /// Character references: the HTML 4 named entities (what mail actually uses), the HTML 5
    /// names of ASCII punctuation and invisible characters (used to obfuscate URLs and words),
    /// numeric references, and HTML's rules for when a reference is decoded.
    enum Entities {
        /// Longer alphanumeric runs after '&' cannot be entities and are left as text.
        static let maxNameLength = 32

        /// Names accepted without ';' ("legacy"), marked in the table's values.
        private static let legacyFlag: UInt32 = 1 << 31

        /// Case-sensitive names to scalars (with `legacyFlag` for legacy names).
        private static let table: [String: UInt32] = {
            var table: [String: UInt32] = [:]
            // U+00A0…U+00FF in order; all of them are legacy names.
            let latin1 = """
                nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr \
                deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest \
                Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml \
                ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig \
                agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml \
                eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml
                """
            for (offset, name) in latin1.split(separator: " ").enumerated() {
                table[String(name)] = (0xA0 + UInt32(offset)) | legacyFlag
            }
            for (name, scalar) in [("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22),
                                   ("AMP", 0x26), ("LT", 0x3C), ("GT", 0x3E), ("QUOT", 0x22),
                                   ("COPY", 0xA9), ("REG", 0xAE)] as [(String, UInt32)] {
                table[name] = scalar | legacyFlag
            }
            let greekUpper = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho"
            for (offset, name) in greekUpper.split(separator: " ").enumerated() {
                table[String(name)] = 0x391 + UInt32(offset)
            }
            for (offset, name) in "Sigma Tau Upsilon Phi Chi Psi Omega".split(separator: " ").enumerated() {
                table[String(name)] = 0x3A3 + UInt32(offset)
            }
            let greekLower = """
                alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho \
                sigmaf sigma tau upsilon phi chi psi omega
                """
            for (offset, name) in greekLower.split(separator: " ").enumerated() {
                table[String(name)] = 0x3B1 + UInt32(offset)
            }
            let others: [(String, UInt32)] = [
                ("apos", 0x27), ("OElig", 0x152), ("oelig", 0x153), ("Scaron", 0x160), ("scaron", 0x161),
                ("Yuml", 0x178), ("fnof", 0x192), ("circ", 0x2C6), ("tilde", 0x2DC),
                ("thetasym", 0x3D1), ("upsih", 0x3D2), ("piv", 0x3D6),
                ("ensp", 0x2002), ("emsp", 0x2003), ("emsp13", 0x2004), ("emsp14", 0x2005), ("numsp", 0x2007),
                ("puncsp", 0x2008), ("thinsp", 0x2009), ("ThinSpace", 0x2009), ("hairsp", 0x200A),
                ("VeryThinSpace", 0x200A), ("ZeroWidthSpace", 0x200B), ("NegativeVeryThinSpace", 0x200B),
                ("NegativeThinSpace", 0x200B), ("NegativeMediumSpace", 0x200B), ("NegativeThickSpace", 0x200B),
                ("zwnj", 0x200C), ("zwj", 0x200D), ("lrm", 0x200E), ("rlm", 0x200F),
                ("hyphen", 0x2010), ("dash", 0x2010), ("ndash", 0x2013), ("mdash", 0x2014),
                ("lsquo", 0x2018), ("rsquo", 0x2019), ("sbquo", 0x201A), ("ldquo", 0x201C), ("rdquo", 0x201D),
                ("bdquo", 0x201E), ("dagger", 0x2020), ("Dagger", 0x2021), ("bull", 0x2022), ("bullet", 0x2022),
                ("hellip", 0x2026), ("permil", 0x2030), ("prime", 0x2032), ("Prime", 0x2033),
                ("lsaquo", 0x2039), ("rsaquo", 0x203A), ("oline", 0x203E), ("frasl", 0x2044),
                ("MediumSpace", 0x205F), ("NoBreak", 0x2060), ("ApplyFunction", 0x2061), ("af", 0x2061),
                ("InvisibleTimes", 0x2062), ("it", 0x2062), ("InvisibleComma", 0x2063), ("ic", 0x2063),
                ("euro", 0x20AC), ("image", 0x2111), ("weierp", 0x2118), ("real", 0x211C), ("trade", 0x2122),
                ("TRADE", 0x2122), ("alefsym", 0x2135), ("larr", 0x2190), ("uarr", 0x2191), ("rarr", 0x2192),
                ("darr", 0x2193), ("harr", 0x2194), ("crarr", 0x21B5), ("lArr", 0x21D0), ("uArr", 0x21D1),
                ("rArr", 0x21D2), ("dArr", 0x21D3), ("hArr", 0x21D4), ("forall", 0x2200), ("part", 0x2202),
                ("exist", 0x2203), ("empty", 0x2205), ("nabla", 0x2207), ("isin", 0x2208), ("notin", 0x2209),
                ("ni", 0x220B), ("prod", 0x220F), ("sum", 0x2211), ("minus", 0x2212), ("lowast", 0x2217),
                ("radic", 0x221A), ("prop", 0x221D), ("infin", 0x221E), ("ang", 0x2220), ("and", 0x2227),
                ("or", 0x2228), ("cap", 0x2229), ("cup", 0x222A), ("int", 0x222B), ("there4", 0x2234),
                ("sim", 0x223C), ("cong", 0x2245), ("asymp", 0x2248), ("ne", 0x2260), ("equiv", 0x2261),
                ("le", 0x2264), ("ge", 0x2265), ("sub", 0x2282), ("sup", 0x2283), ("nsub", 0x2284),
                ("sube", 0x2286), ("supe", 0x2287), ("oplus", 0x2295), ("otimes", 0x2297), ("perp", 0x22A5),
                ("sdot", 0x22C5), ("lceil", 0x2308), ("rceil", 0x2309), ("lfloor", 0x230A), ("rfloor", 0x230B),
                ("lang", 0x27E8), ("rang", 0x27E9), ("loz", 0x25CA), ("spades", 0x2660), ("clubs", 0x2663),
                ("hearts", 0x2665), ("diams", 0x2666), ("check", 0x2713), ("cross", 0x2717), ("star", 0x2606),
                ("starf", 0x2605), ("phone", 0x260E), ("female", 0x2640), ("male", 0x2642),
                // ASCII punctuation by name: "javascript&colon;", "&#x2F;&sol;" and friends.
                ("Tab", 0x09), ("NewLine", 0x0A), ("excl", 0x21), ("num", 0x23), ("dollar", 0x24),
                ("percnt", 0x25), ("lpar", 0x28), ("rpar", 0x29), ("ast", 0x2A), ("midast", 0x2A),
                ("plus", 0x2B), ("comma", 0x2C), ("period", 0x2E), ("sol", 0x2F), ("colon", 0x3A),
                ("semi", 0x3B), ("equals", 0x3D), ("quest", 0x3F), ("commat", 0x40), ("lsqb", 0x5B),
                ("lbrack", 0x5B), ("bsol", 0x5C), ("rsqb", 0x5D), ("rbrack", 0x5D), ("Hat", 0x5E),
                ("lowbar", 0x5F), ("UnderBar", 0x5F), ("grave", 0x60), ("DiacriticalGrave", 0x60),
                ("lcub", 0x7B), ("lbrace", 0x7B), ("verbar", 0x7C), ("vert", 0x7C), ("VerticalLine", 0x7C),
                ("rcub", 0x7D), ("rbrace", 0x7D), ("NonBreakingSpace", 0xA0),
            ]
            for (name, scalar) in others { table[name] = scalar }
            return table
        }()

        /// The scalar for a name followed by ';'.
        static func lookup(_ name: String) -> UInt32? {
            table[name].map { $0 & ~legacyFlag }
        }

        /// The scalar for a name that HTML also accepts without ';'.
        static func lookupLegacy(_ name: String) -> UInt32? {
            guard let value = table[name], value & legacyFlag != 0 else { return nil }
            return value & ~legacyFlag
        }

        /// The longest legacy name that starts `name` (legacy names are 2–6 letters).
        static func longestLegacyPrefix(_ name: [UInt8]) -> (length: Int, scalar: UInt32)? {
            var length = min(name.count, 6)
            while length >= 2 {
                if let scalar = lookupLegacy(String(decoding: name[..<length], as: UTF8.self)) {
                    return (length, scalar)
                }
                length -= 1
            }
            return nil
        }

        /// Windows-1252 meanings of numeric references to C1 controls, as HTML decodes them
        /// ("&#150;" is an en dash); 0 where the control stays as it is.
        private static let c1Replacements: [UInt32] = [
            0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
            0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
            0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
        ]

        /// The scalar a numeric reference stands for: 0, surrogates and values past U+10FFFF
        /// become U+FFFD.
        static func numericScalar(_ value: UInt32) -> UInt32 {
            switch value {
            case 0, 0xD800...0xDFFF, 0x11_0000...: return 0xFFFD
            case 0x80...0x9F:
                let replacement = c1Replacements[Int(value - 0x80)]
                return replacement == 0 ? value : replacement
            default: return value
            }
        }

        /// Encodes a scalar (already valid) as UTF-8 into a buffer of at least 4 bytes.
        static func encodeUTF8(_ scalar: UInt32, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            switch scalar {
            case ..<0x80:
                buffer[0] = UInt8(scalar)
                return 1
            case ..<0x800:
                buffer[0] = UInt8(0xC0 | scalar >> 6)
                buffer[1] = UInt8(0x80 | scalar & 0x3F)
                return 2
            case ..<0x1_0000:
                buffer[0] = UInt8(0xE0 | scalar >> 12)
                buffer[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                buffer[2] = UInt8(0x80 | scalar & 0x3F)
                return 3
            default:
                buffer[0] = UInt8(0xF0 | scalar >> 18)
                buffer[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                buffer[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
                buffer[3] = UInt8(0x80 | scalar & 0x3F)
                return 4
            }
        }

        static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { buffer in
                let count = encodeUTF8(scalar, into: buffer)
                output.append(contentsOf: buffer[..<count])
            }
        }

        /// Decodes the references in a complete attribute value. Unlike in text, a legacy name
        /// without ';' followed by '=' or an alphanumeric stays literal, so query strings such as
        /// "?a=1&copy=2" survive.
        static func decodeAttribute(_ value: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
            let n = value.count
            output.reserveCapacity(output.count + n)
            var i = 0
            while i < n {
                let start = i
                while i < n, value[i] != 0x26 { i += 1 }
                if i > start { output.append(contentsOf: value[start..<i]) }
                guard i < n else { return }
                // value[i] is '&'
                var j = i + 1
                if j < n, value[j] == 0x23 {  // '#'
                    j += 1
                    let hex = j < n && (value[j] | 0x20) == 0x78
                    if hex { j += 1 }
                    let digitsStart = j
                    var scalar: UInt32 = 0
                    while j < n, let d = hex ? Bytes.hexDigitValue(value[j]) : Bytes.decimalDigitValue(value[j]) {
                        scalar = min(scalar * (hex ? 16 : 10) + d, 0x11_0000)
                        j += 1
                    }
                    if j == digitsStart {  // "&#" without digits is text
                        output.append(0x26)
                        i += 1
                        continue
                    }
                    if j < n, value[j] == 0x3B { j += 1 }
                    appendUTF8(numericScalar(scalar), to: &output)
                    i = j
                    continue
                }
                while j < n, j - i - 1 < maxNameLength, Bytes.isAlphanumeric(value[j]) { j += 1 }
                if j > i + 1 {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: value[(i + 1)..<j]), as: UTF8.self)
                    if j < n, value[j] == 0x3B, let scalar = lookup(name) {
                        appendUTF8(scalar, to: &output)
                        i = j + 1
                        continue
                    }
                    let next: UInt8? = j < n ? value[j] : nil
                    if next != 0x3D, !(next.map(Bytes.isAlphanumeric) ?? false), let scalar = lookupLegacy(name) {
                        appendUTF8(scalar, to: &output)
                        i = j
                        continue
                    }
                }
                output.append(0x26)
                i += 1
            }
        }
    }

    // MARK: Attribute values

    /// `width`/`height` attribute of at most one pixel: leading digits ("1", "0", "1px"), not a
    /// percentage.
    static func isAtMostOnePixel(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < value.count, Bytes.isWhitespace(value[i]) { i += 1 }
        var number = 0
        let start = i
        while i < value.count, Bytes.isDigit(value[i]) {
            number = min(number * 10 + Int(value[i] - 0x30), 1_000_000)
            i += 1
        }
        guard i > start else { return false }
        while i < value.count, value[i] == 0x2E || Bytes.isDigit(value[i]) { i += 1 }
        while i < value.count, Bytes.isWhitespace(value[i]) { i += 1 }
        if i < value.count, value[i] == 0x25 { return false }  // '%'
        return number <= 1
    }

    /// The value, trimmed, equals `keyword` ignoring ASCII case.
    static func isKeyword(_ value: UnsafeBufferPointer<UInt8>, _ keyword: StaticString) -> Bool {
        var low = 0, high = value.count
        while low < high, Bytes.isWhitespace(value[low]) { low += 1 }
        while high > low, Bytes.isWhitespace(value[high - 1]) { high -= 1 }
        return equalsIgnoringCase(value[low..<high], keyword)
    }

    static func equalsIgnoringCase(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let text = literal.utf8Start
        var k = 0
        for b in bytes {
            if Bytes.lower(b) != text[k] { return false }
            k += 1
        }
        return true
    }

    /// The URL in a refresh `content` such as `0; url='https://x'` or `5,https://x`.
    static func refreshURL(_ content: [UInt8]) -> [UInt8]? {
        let n = content.count
        var i = 0
        while i < n, Bytes.isWhitespace(content[i]) { i += 1 }
        while i < n, Bytes.isDigit(content[i]) || content[i] == 0x2E { i += 1 }
        while i < n, Bytes.isWhitespace(content[i]) { i += 1 }
        if i < n, content[i] == 0x3B || content[i] == 0x2C { i += 1 }  // ';' ','
        while i < n, Bytes.isWhitespace(content[i]) { i += 1 }
        if n - i >= 3, content[i..<(i + 3)].map(Bytes.lower).elementsEqual("url".utf8) {
            var k = i + 3
            while k < n, Bytes.isWhitespace(content[k]) { k += 1 }
            if k < n, content[k] == 0x3D {  // '='
                k += 1
                while k < n, Bytes.isWhitespace(content[k]) { k += 1 }
                i = k
            }
        }
        guard i < n else { return nil }
        if content[i] == 0x22 || content[i] == 0x27 {
            let quote = content[i]
            let end = content[(i + 1)...].firstIndex(of: quote) ?? n
            return Array(content[(i + 1)..<end])
        }
        return Array(content[i...])
    }

    // MARK: Inline style

    struct StyleFacts {
        /// Nothing inside can be seen, whatever descendants declare: `display:none`, `opacity:0`,
        /// a zero height or width with `overflow:hidden`.
        var hidden = false
        /// A font size was declared: too small to read (true) or readable (false); nil when the
        /// size is inherited (not declared, `inherit`, or relative: 2em of nothing is nothing).
        /// Descendants may declare a readable size again, as layouts using `font-size:0` to
        /// remove gaps between inline blocks do.
        var fontInvisible: Bool?
        /// `visibility` was declared hidden (true) or visible (false); descendants may override.
        var visibilityHidden: Bool?
        /// A width or height of at most one pixel (tracking pixels).
        var tiny = false
    }

    /// One property's outcome: the last declaration wins, except that `!important` beats later
    /// normal ones ("display:none;display:block" shows the element, so it is not hidden).
    /// nil: not declared, or declared with a value that inherits.
    struct Declared {
        var value: Bool?
        var important = false

        mutating func set(_ newValue: Bool?, important newImportant: Bool) {
            if important && !newImportant { return }
            value = newValue
            important = newImportant
        }
    }

    /// Reads a `style` attribute for the hiding tricks that matter: `display:none`,
    /// `visibility:hidden`, a zero (or sub-pixel) font size, `opacity:0`, a zero height or width
    /// with `overflow:hidden`; and a width or height of at most 1px.
    static func analyzeStyle(_ style: UnsafeBufferPointer<UInt8>) -> StyleFacts {
        // A comment can split a declaration ("display:/**/none"): drop comments first (rare).
        var k = 0
        while k + 1 < style.count, !(style[k] == 0x2F && style[k + 1] == 0x2A) { k += 1 }
        guard k + 1 < style.count else { return analyzeDeclarations(style) }
        var cleaned: [UInt8] = []
        var i = 0
        while i < style.count {
            if i + 1 < style.count, style[i] == 0x2F, style[i + 1] == 0x2A {
                i += 2
                while i < style.count, !(style[i] == 0x2A && i + 1 < style.count && style[i + 1] == 0x2F) { i += 1 }
                i += 2
            } else {
                cleaned.append(style[i])
                i += 1
            }
        }
        return cleaned.withUnsafeBufferPointer(analyzeDeclarations)
    }

    private static func analyzeDeclarations(_ s: UnsafeBufferPointer<UInt8>) -> StyleFacts {
        var display = Declared(), visibility = Declared(), fontSize = Declared(), opacity = Declared()
        var height = Declared(), maxHeight = Declared(), width = Declared(), maxWidth = Declared()
        var overflow = Declared(), tinyWidth = Declared(), tinyHeight = Declared()
        var start = 0
        while start < s.count {
            var end = start
            while end < s.count, s[end] != 0x3B { end += 1 }  // ';'
            defer { start = end + 1 }
            guard let colon = s[start..<end].firstIndex(of: 0x3A) else { continue }
            let property = trim(s, start..<colon)
            var value = trim(s, (colon + 1)..<end)
            var important = false
            if let bang = s[value].firstIndex(of: 0x21) {  // '!'
                guard equalsIgnoringCase(s[trim(s, (bang + 1)..<value.upperBound)], "important") else { continue }
                important = true
                value = trim(s, value.lowerBound..<bang)
            }
            let name = s[property], v = s[value]
            if equalsIgnoringCase(name, "display") {
                display.set(equalsIgnoringCase(v, "none"), important: important)
            } else if equalsIgnoringCase(name, "visibility") {
                if equalsIgnoringCase(v, "hidden") || equalsIgnoringCase(v, "collapse") {
                    visibility.set(true, important: important)
                } else if equalsIgnoringCase(v, "visible") {
                    visibility.set(false, important: important)
                } else {
                    visibility.set(nil, important: important)
                }
            } else if equalsIgnoringCase(name, "font-size") {
                fontSize.set(fontSizeInvisibility(s, value), important: important)
            } else if equalsIgnoringCase(name, "font") {
                fontSize.set(fontShorthandSize(s, value).flatMap { fontSizeInvisibility(s, $0) }, important: important)
            } else if equalsIgnoringCase(name, "opacity") {
                opacity.set(parseLength(s, value).map { $0.number <= 0 } ?? false, important: important)
            } else if equalsIgnoringCase(name, "height") {
                height.set(isZeroLength(s, value), important: important)
                tinyHeight.set(isAtMostOnePixelLength(s, value), important: important)
            } else if equalsIgnoringCase(name, "width") {
                width.set(isZeroLength(s, value), important: important)
                tinyWidth.set(isAtMostOnePixelLength(s, value), important: important)
            } else if equalsIgnoringCase(name, "max-height") {
                maxHeight.set(isZeroLength(s, value), important: important)
            } else if equalsIgnoringCase(name, "max-width") {
                maxWidth.set(isZeroLength(s, value), important: important)
            } else if equalsIgnoringCase(name, "overflow") || equalsIgnoringCase(name, "overflow-y")
                || equalsIgnoringCase(name, "overflow-x")
            {
                if equalsIgnoringCase(v, "hidden") || equalsIgnoringCase(v, "clip") {
                    overflow.set(true, important: important)
                }
            }
        }
        func isSet(_ declared: Declared) -> Bool { declared.value ?? false }
        let collapsed = (isSet(height) || isSet(maxHeight) || isSet(width) || isSet(maxWidth)) && isSet(overflow)
        return StyleFacts(
            hidden: isSet(display) || isSet(opacity) || collapsed,
            fontInvisible: fontSize.value, visibilityHidden: visibility.value,
            tiny: isSet(tinyWidth) || isSet(tinyHeight))
    }

    private static func trim(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var low = range.lowerBound, high = range.upperBound
        while low < high, Bytes.isWhitespace(s[low]) { low += 1 }
        while high > low, Bytes.isWhitespace(s[high - 1]) { high -= 1 }
        return low..<high
    }

    /// A CSS number with its unit ("0", ".5em", "1px", "0%").
    private static func parseLength(
        _ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>
    ) -> (number: Double, unit: Slice<UnsafeBufferPointer<UInt8>>)? {
        var i = range.lowerBound
        var sign = 1.0
        if i < range.upperBound, s[i] == 0x2B || s[i] == 0x2D {
            if s[i] == 0x2D { sign = -1 }
            i += 1
        }
        var number = 0.0
        var digits = 0
        while i < range.upperBound, Bytes.isDigit(s[i]) {
            number = number * 10 + Double(s[i] - 0x30)
            digits += 1
            i += 1
        }
        if i < range.upperBound, s[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < range.upperBound, Bytes.isDigit(s[i]) {
                number += Double(s[i] - 0x30) * scale
                scale /= 10
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        return (sign * number, s[trim(s, i..<range.upperBound)])
    }

    private static func isZeroLength(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        parseLength(s, range)?.number == 0
    }

    private static func isAtMostOnePixelLength(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let (number, unit) = parseLength(s, range), number >= 0 else { return false }
        return number == 0 || (number <= 1 && (unit.isEmpty || equalsIgnoringCase(unit, "px")))
    }

    /// A font size of zero in any unit, or under one pixel or point, is invisible (true); other
    /// absolute sizes and keywords are readable (false); relative and inheriting values are nil.
    private static func fontSizeInvisibility(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool? {
        guard let (number, unit) = parseLength(s, range) else {
            let v = s[range]
            for keyword: StaticString in ["inherit", "unset", "revert", "revert-layer", "smaller", "larger", ""]
            where equalsIgnoringCase(v, keyword) {
                return nil
            }
            return false  // "small", "medium", "initial", …
        }
        if number < 0 { return nil }  // invalid, ignored
        if number == 0 { return true }
        for relative: StaticString in ["em", "ex", "ch", "%", "", "cap", "ic", "lh", "rlh"]
        where equalsIgnoringCase(unit, relative) {
            return nil
        }
        return number < 1 && (equalsIgnoringCase(unit, "px") || equalsIgnoringCase(unit, "pt"))
    }

    /// The font-size part of a `font` shorthand: the token before '/' ("0/0 a"), otherwise the
    /// first token that is a length with a unit or zero (bare numbers are weights).
    private static func fontShorthandSize(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int>? {
        if let slash = s[range].firstIndex(of: 0x2F) {
            var high = slash
            while high > range.lowerBound, Bytes.isWhitespace(s[high - 1]) { high -= 1 }
            var low = high
            while low > range.lowerBound, !Bytes.isWhitespace(s[low - 1]) { low -= 1 }
            return low < high ? low..<high : nil
        }
        var i = range.lowerBound
        while i < range.upperBound {
            while i < range.upperBound, Bytes.isWhitespace(s[i]) { i += 1 }
            let start = i
            while i < range.upperBound, !Bytes.isWhitespace(s[i]) { i += 1 }
            if start < i, let (number, unit) = parseLength(s, start..<i), number == 0 || !unit.isEmpty {
                return start..<i
            }
        }
        return nil
    }
}
