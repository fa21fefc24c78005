import MailParsing

/// Domain-name judgements: registrable domains, IP literals, lookalikes.
public enum DomainNames {
    /// The part of a host name a registrant controls: `mail.example.co.uk` → `example.co.uk`.
    /// Uses the common multi-label suffixes, not the full Public Suffix List.
    public static func registrableDomain(_ host: String) -> String {
        var bytes = Array(host.utf8)
        for index in bytes.indices where bytes[index] >= 65 && bytes[index] <= 90 { bytes[index] += 32 }
        while bytes.last == 46 { bytes.removeLast() }
        if isIPAddress(bytes) { return String(decoding: bytes, as: UTF8.self) }
        // Walk labels from the right: keep two, or three under a multi-label public suffix.
        var dots: [Int] = []
        var index = bytes.count - 1
        while index >= 0, dots.count < 3 {
            if bytes[index] == 46 { dots.append(index) }
            index -= 1
        }
        guard dots.count >= 2 else { return String(decoding: bytes, as: UTF8.self) }
        let lastTwo = String(decoding: bytes[(dots[1] + 1)...], as: UTF8.self)
        if KnownDomains.multiLabelSuffixes.contains(lastTwo) {
            return dots.count >= 3 ? String(decoding: bytes[(dots[2] + 1)...], as: UTF8.self) : String(decoding: bytes, as: UTF8.self)
        }
        return lastTwo
    }

    /// Dotted IPv4 (also the decimal, hex and octal forms browsers accept) or bracketed IPv6.
    public static func isIPAddress(_ host: String) -> Bool {
        isIPAddress(Array(host.utf8))
    }

    static func isIPAddress(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        if first == 91 || bytes.contains(58) { return true }
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        let isHex = { (byte: UInt8) in isDigit(byte) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70) }
        if bytes.allSatisfy(isDigit) { return true }
        if bytes.count > 2, first == 48, bytes[1] == 120 || bytes[1] == 88, bytes.dropFirst(2).allSatisfy(isHex) { return true }
        // Four dot-separated parts, each a digit followed by hex digits and x (no empty part).
        var parts = 1
        var atPartStart = true
        for byte in bytes {
            if byte == 46 {
                guard !atPartStart else { return false }
                parts += 1
                atPartStart = true
            } else if atPartStart {
                guard isDigit(byte) else { return false }
                atPartStart = false
            } else {
                guard isHex(byte) || byte == 120 || byte == 88 else { return false }
            }
        }
        return !atPartStart && parts == 4
    }

    /// The first non-empty label, as splitting on "." would give, without splitting the rest.
    /// On bytes for ASCII, where a "." byte is always a whole character.
    static func firstLabel(_ domain: String) -> String {
        var text = domain
        let label = text.withUTF8 { bytes -> String? in
            guard bytes.endOfASCII(from: 0) == bytes.count else { return nil }
            var start = 0
            while start < bytes.count, bytes[start] == 46 { start += 1 }
            let end = bytes.firstIndex(of: 46, from: start) ?? bytes.count
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        if let label { return label }
        let start = domain.firstIndex { $0 != "." } ?? domain.endIndex
        return String(domain[start...].prefix { $0 != "." })
    }

    /// Maps characters that look alike to one representative, so `paypa1.com` and
    /// `pаypal.com` (Cyrillic а) share `paypal.com`'s skeleton.
    static func skeleton(_ text: String) -> String {
        var text = text
        let folded: String
        // Mapped into an array, not a lazy view: decoding a view makes String(decoding:) ask the
        // runtime, every call, whether it has contiguous bytes (a dynamic cast).
        if let ascii = text.withUTF8({ $0.endOfASCII(from: 0) == $0.count ? String(decoding: $0.map { asciiSkeletonBytes[Int($0)] }, as: UTF8.self) : nil }) {
            folded = ascii
        } else {
            folded = unicodeFolded(text)
        }
        return folded.replacingAll("rn", with: "m").replacingAll("vv", with: "w").replacingAll("cl", with: "d")
    }

    /// Lower case, then `confusables`, by scalars.
    private static func unicodeFolded(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, let mapped = asciiConfusables[Int(scalar.value)] {
                out.append(mapped)
            } else if !scalar.isASCII, let mapped = confusables[scalar] {
                out.append(contentsOf: mapped.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `unicodeFolded` of each ASCII byte, which lower-cases and maps to one ASCII byte.
    private static let asciiSkeletonBytes: [UInt8] = (0..<128).map { value in
        let lower = value >= 65 && value <= 90 ? value + 32 : value
        return asciiConfusables[lower].map { UInt8($0.value) } ?? UInt8(lower)
    }

    /// The ASCII part of `confusables` as a table, for the common case.
    private static let asciiConfusables: [Unicode.Scalar?] = (0..<128).map { value in
        confusables[Unicode.Scalar(UInt8(value))].flatMap { $0.unicodeScalars.first }
    }

    private static let confusables: [Unicode.Scalar: String] = [
        "0": "o", "1": "l", "i": "l", "|": "l", "3": "e", "5": "s", "$": "s", "@": "a",
        "\u{0430}": "a", "\u{0435}": "e", "\u{043E}": "o", "\u{0440}": "p", "\u{0441}": "c", "\u{0443}": "y", "\u{0445}": "x",
        "\u{0456}": "l", "\u{0458}": "j", "\u{0455}": "s", "\u{04BB}": "h", "\u{0501}": "d", "\u{051B}": "q", "\u{051D}": "w",
        "\u{03BF}": "o", "\u{03B1}": "a", "\u{03BD}": "v", "\u{03C1}": "p", "\u{03B9}": "l", "\u{03BA}": "k", "\u{03C4}": "t",
        "\u{0131}": "l", "\u{0261}": "g", "\u{01C0}": "l", "\u{00E0}": "a", "\u{00E1}": "a", "\u{00E9}": "e", "\u{00ED}": "l",
        "\u{00F3}": "o", "\u{00F6}": "o", "\u{00FC}": "u", "\u{1E37}": "l", "\u{0269}": "l",
    ]

    /// Damerau–Levenshtein (optimal string alignment) distance, giving up above `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let width = b.count + 1
        // Three rows on the stack: this runs for every host against every protected domain.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var previousPrevious = 0, previous = width, current = 2 * width
            for j in 0...b.count { rows[previous + j] = j }
            for i in 1...a.count {
                rows[current] = i
                var rowMinimum = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        value = min(value, rows[previousPrevious + j - 2] + 1)
                    }
                    rows[current + j] = value
                    rowMinimum = min(rowMinimum, value)
                }
                if rowMinimum > limit { return limit + 1 }
                (previousPrevious, previous, current) = (previous, current, previousPrevious)
            }
            return rows[previous + b.count]
        }
    }
}
