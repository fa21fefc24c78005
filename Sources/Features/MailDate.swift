import MailParsing

/// RFC 5322 dates (`Tue, 1 Jul 2025 10:52:37 +0200`, obsolete forms tolerated), as seconds
/// since 1970, without Foundation.
public enum MailDate {
    public static func epochSeconds(_ text: String) -> Int64? {
        var text = text
        // In ASCII every character is a byte, except CR LF, which is one character (and so
        // not a separator): text with a CR takes the character path.
        let bytewise = text.withUTF8 { $0.endOfASCII(from: 0) == $0.count && !$0.contains(13) }
        guard bytewise else { return epochSeconds(characterTokens: text) }
        return text.withUTF8 { epochSeconds(ascii: $0) }
    }

    /// `epochSeconds(tokens:)` on the bytes of ASCII text without CR, where each byte is a
    /// character: the same tests, without a string and a character walk per token. Only the
    /// first six tokens can matter (a weekday, then day, month, year, time and zone).
    private static func epochSeconds(ascii bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var tokens: [Range<Int>] = []
        tokens.reserveCapacity(6)
        var start = 0
        for index in 0...bytes.count where index == bytes.count || isSeparator(bytes[index]) {
            if index > start {
                tokens.append(start..<index)
                if tokens.count == 6 { break }
            }
            start = index + 1
        }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func isLetter(_ byte: UInt8) -> Bool { (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) }
        var first = 0
        if let weekday = tokens.first, weekday.count >= 3, bytes[weekday].allSatisfy(isLetter) { first = 1 }
        guard tokens.count - first >= 4, let day = Int(text(tokens[first])), (1...31).contains(day),
              let month = months[text(tokens[first + 1].prefix(3)).lowercased()], var year = Int(text(tokens[first + 2])) else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        guard (1000...9999).contains(year) else { return nil }
        let clockParts = tokens[first + 3].split { bytes[$0] == 58 }
        let clock = clockParts.compactMap { Int(text($0)) }
        guard clock.count == clockParts.count, clock.count >= 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
        let second = clock.count > 2 ? clock[2] : 0
        guard (0...60).contains(second) else { return nil }
        var offset = 0
        if tokens.count - first > 4 {
            let zone = tokens[first + 4]
            let sign = bytes[zone.lowerBound]
            if sign == 43 || sign == 45, zone.count == 5, let value = Int(text(zone.dropFirst())) {
                offset = (value / 100 * 3600 + value % 100 * 60) * (sign == 45 ? -1 : 1)
            } else if let named = zones[text(zone).uppercased()] {
                offset = named * 3600
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + second - offset)
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 44 || byte == 9 || byte == 10 || byte == 13
    }

    /// The tokens split by characters, for text that is not plain ASCII.
    private static func epochSeconds(characterTokens text: String) -> Int64? {
        epochSeconds(tokens: text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" || $0 == "\r" }))
    }

    private static func epochSeconds(tokens: [Substring]) -> Int64? {
        var tokens = tokens[...]
        if let first = tokens.first, first.count >= 3, first.allSatisfy(\.isLetter) { tokens.removeFirst() }
        guard tokens.count >= 4, let day = Int(tokens[tokens.startIndex]), (1...31).contains(day),
              let month = months[tokens[tokens.startIndex + 1].prefix(3).lowercased()], var year = Int(tokens[tokens.startIndex + 2]) else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        // A sender writes any year it likes; outside these bounds the date is simply invalid
        // (and the day arithmetic below cannot overflow).
        guard (1000...9999).contains(year) else { return nil }
        let clockParts = tokens[tokens.startIndex + 3].split(separator: ":")
        let clock = clockParts.compactMap { Int($0) }
        guard clock.count == clockParts.count, clock.count >= 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else { return nil }
        let second = clock.count > 2 ? clock[2] : 0
        guard (0...60).contains(second) else { return nil }
        var offset = 0
        if tokens.count > 4 {
            let zone = tokens[tokens.startIndex + 4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
                offset = (value / 100 * 3600 + value % 100 * 60) * (sign == "-" ? -1 : 1)
            } else if let named = zones[zone.uppercased()] {
                offset = named * 3600
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + second - offset)
    }

    private static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    private static let zones = ["UT": 0, "GMT": 0, "Z": 0, "UTC": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7]

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
