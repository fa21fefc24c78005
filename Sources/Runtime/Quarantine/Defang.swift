import Foundation

/// Makes text from a message safe to print on a terminal and to paste: links lose their
/// power to be clicked (`http://example.com` → `hxxp://example[.]com`), and control and
/// bidirectional-override characters, which could rewrite the terminal or disguise a link,
/// are shown as `\u{…}` escapes instead.
public enum Defang {
    private static let schemes: [(String, String)] = [("https://", "hxxps://"), ("http://", "hxxp://"), ("ftp://", "fxp://")]

    /// A URL with its scheme broken and every dot of its host bracketed.
    public static func url(_ text: String) -> String {
        let cleaned = printable(text)
        for (scheme, replacement) in schemes where cleaned.lowercased().hasPrefix(scheme) {
            let rest = cleaned.dropFirst(scheme.count)
            let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            return replacement + bracketDots(rest[..<hostEnd]) + rest[hostEnd...]
        }
        // No known scheme (mailto:, a bare host, javascript:…): break the dots throughout.
        return bracketDots(cleaned[...])
    }

    /// Free text with every http/https/ftp URL and every `www.` host in it defanged.
    public static func text(_ text: String) -> String {
        var out = ""
        var word = ""
        for character in printable(text) {
            if character.isWhitespace || character == "<" || character == ">" || character == "\"" || character == "(" || character == ")" {
                out += defangedWord(word) + String(character)
                word = ""
            } else {
                word.append(character)
            }
        }
        return out + defangedWord(word)
    }

    /// Control characters (except newline and tab; CRLF becomes a newline), DEL, C1 controls
    /// and bidi overrides and isolates as visible escapes.
    public static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            let value = scalar.value
            let unsafe = (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
                || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F
            if unsafe {
                out.append(contentsOf: "\\u{\(String(value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func defangedWord(_ word: String) -> String {
        let lower = word.lowercased()
        if schemes.contains(where: { lower.hasPrefix($0.0) }) || lower.hasPrefix("www.") { return url(word) }
        return word
    }

    private static func bracketDots(_ text: Substring) -> String {
        text.replacingOccurrences(of: ".", with: "[.]")
    }
}
