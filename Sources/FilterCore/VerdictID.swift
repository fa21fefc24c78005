/// A verdict's short name, for finding it again from a bounce, a complaint or a held message:
/// in the verdict header, the log line, the decision and verdict logs, the hold reason and a
/// tempfail's reply text. `g-` and ten letters and digits: the hyphen keeps it apart from a
/// Postfix queue id (letters and digits only), and fifty random bits make two verdicts of one
/// site share a name about once in a billion pairs of a million.
public enum VerdictID {
    /// Crockford's base 32 in lower case: no i, l, o or u to misread.
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    private static let letters = 10

    public static func make() -> String {
        "g-" + randomLetters()
    }

    /// Ten letters and digits of the alphabet, fifty random bits: also the body of other
    /// short names (label ids).
    public static func randomLetters() -> String {
        var generator = SystemRandomNumberGenerator()
        var bits = generator.next() as UInt64
        var name: [UInt8] = []
        for _ in 0..<letters {
            name.append(alphabet[Int(bits & 31)])
            bits >>= 5
        }
        return String(decoding: name, as: UTF8.self)
    }

    public static func isVerdictID(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return utf8.count == letters + 2 && utf8.starts(with: "g-".utf8) && utf8.dropFirst(2).allSatisfy(alphabet.contains)
    }
}
