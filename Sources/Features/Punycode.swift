import MailParsing

/// RFC 3492 punycode, decoding only: `xn--pypal-4ve.com` → `pаypal.com`, so lookalike checks
/// see the characters a reader sees.
public enum Punycode {
    /// Decodes every `xn--` label of a host name; labels that fail to decode stay as written.
    public static func toUnicode(_ host: String) -> String {
        guard host.lowercased().containsBytes("xn--") else { return host }
        return host.split(separator: ".", omittingEmptySubsequences: false).map { label in
            let lower = label.lowercased()
            guard lower.hasPrefix("xn--"), let decoded = decode(String(lower.dropFirst(4))) else { return String(label) }
            return decoded
        }.joined(separator: ".")
    }

    static func decode(_ input: String) -> String? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        var output: [Unicode.Scalar] = []
        var encoded = Substring(input)
        if let delimiter = input.lastIndex(of: "-") {
            for character in input[..<delimiter].unicodeScalars {
                guard character.isASCII else { return nil }
                output.append(character)
            }
            encoded = input[input.index(after: delimiter)...]
        }
        var n = 128, i = 0, bias = 72
        var digits = encoded.unicodeScalars.makeIterator()
        var pending = digits.next()
        while pending != nil {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard let scalar = pending else { return nil }
                pending = digits.next()
                let digit: Int
                switch scalar.value {
                case 97...122: digit = Int(scalar.value) - 97
                case 65...90: digit = Int(scalar.value) - 65
                case 48...57: digit = Int(scalar.value) - 22
                default: return nil
                }
                let (product, overflow) = digit.multipliedReportingOverflow(by: weight)
                guard !overflow, i <= Int.max - product else { return nil }
                i += product
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                let (nextWeight, weightOverflow) = weight.multipliedReportingOverflow(by: base - t)
                guard !weightOverflow else { return nil }
                weight = nextWeight
                k += base
            }
            let count = output.count + 1
            var delta = oldI == 0 ? (i - oldI) / damp : (i - oldI) / 2
            delta += delta / count
            var adaptK = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                adaptK += base
            }
            bias = adaptK + (base - tMin + 1) * delta / (delta + skew)
            guard i / count <= Int(UInt32.max) - n else { return nil }
            n += i / count
            i %= count
            guard output.count < 256, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: output)
        return result
    }
}
