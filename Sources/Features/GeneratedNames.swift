/// Domain labels that no person chose: the throwaway sender and bounce domains that spam and
/// phishing rotate through (`si2uxjjjqdmh7er1jfee.example.com`, `xjbzjjrpubzxfl.com.br`).
/// Registered names are words, brands or abbreviations; machine-made ones interleave letters and
/// digits or run long strings of consonants. Measured on the corpus: 295 of 4,985 phishing
/// senders have such a label in From or Return-Path, no ham sender does.
enum GeneratedNames {
    /// Whether any label left of the top-level domain looks machine-made.
    static func hasGeneratedLabel(_ domain: String) -> Bool {
        let labels = domain.utf8.split(separator: 46)
        // Short labels are never generated: they are not copied to be asked.
        return labels.dropLast().contains { $0.count >= 10 && isGenerated(Array($0)) }
    }

    /// Ten or more characters, and either three or more switches between letters and digits, or
    /// six consonants in a row once the technical words host names are built from are removed.
    static func isGenerated(_ label: [UInt8]) -> Bool {
        guard label.count >= 10 else { return false }
        let lower = label.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if letterDigitSwitches(lower) >= 3 { return true }
        return longestConsonantRun(withoutTechnicalWords(lower)) >= 6
    }

    private static func isLetter(_ byte: UInt8) -> Bool { byte >= 97 && byte <= 122 }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func letterDigitSwitches(_ label: [UInt8]) -> Int {
        zip(label, label.dropFirst()).count { pair in
            (isLetter(pair.0) && isDigit(pair.1)) || (isDigit(pair.0) && isLetter(pair.1))
        }
    }

    /// `y` counts as a vowel: it is one in most names (`hyundai`, `rhythm`).
    private static func longestConsonantRun(_ label: [UInt8]) -> Int {
        var longest = 0, run = 0
        for byte in label {
            run = isLetter(byte) && !isVowel(byte) ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    /// a, e, i, o, u or y; compared, not hashed into a set, since it runs for every letter.
    private static func isVowel(_ byte: UInt8) -> Bool {
        byte == 97 || byte == 101 || byte == 105 || byte == 111 || byte == 117 || byte == 121
    }

    /// Words that put consonants together in honest host names (`macftphttp`, `smtpmx`).
    private static let technicalWords: [[UInt8]] = ["https", "http", "smtp", "ftp", "www", "cdn", "dns", "mx"].map { Array($0.utf8) }

    private static func withoutTechnicalWords(_ label: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        outer: while index < label.count {
            for word in technicalWords where label[index...].starts(with: word) {
                index += word.count
                continue outer
            }
            out.append(label[index])
            index += 1
        }
        return out
    }
}
