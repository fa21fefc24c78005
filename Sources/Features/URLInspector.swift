import MailParsing

/// The parts of a URL the URL features look at, from a string as written in mail. Works on
/// bytes: it runs for every link of every message.
public struct InspectedURL: Sendable, Equatable {
    /// Lower-cased scheme (`http`, `https`, `mailto`, `data`…); `http` for bare `www.` links.
    public let scheme: String
    /// Lower-cased host without port or user info; "" when the URL has none.
    public let host: String
    public let hasUserInfo: Bool
    public let port: Int?
    /// Path, query and fragment, lower-cased.
    let rest: [UInt8]
    public let length: Int

    public init(parsing raw: String) {
        var bytes = Array(raw.utf8)
        while let first = bytes.first, Self.isTrimmed(first) { bytes.removeFirst() }
        while let last = bytes.last, Self.isTrimmed(last) { bytes.removeLast() }
        length = bytes.count
        let lower = bytes.map(Self.lowercase)
        var index = 0
        if let colon = lower.firstIndex(of: 58), colon > 0, lower[..<colon].allSatisfy(Self.isSchemeByte) {
            scheme = String(decoding: lower[..<colon], as: UTF8.self)
            index = colon + 1
        } else {
            scheme = lower.starts(with: Array("www.".utf8)) ? "http" : ""
        }
        guard scheme == "http" || scheme == "https" || scheme == "ftp" || scheme.isEmpty else {
            host = ""
            hasUserInfo = false
            port = nil
            rest = Array(lower[index...])
            return
        }
        // Browsers accept backslashes and any number of slashes here.
        while index < lower.count, lower[index] == 47 || lower[index] == 92 { index += 1 }
        let authorityEnd = lower[index...].firstIndex { $0 == 47 || $0 == 63 || $0 == 35 || $0 == 92 } ?? lower.count
        var authority = lower[index..<authorityEnd]
        rest = Array(lower[authorityEnd...])
        if let at = authority.lastIndex(of: 64) {
            hasUserInfo = true
            authority = authority[(at + 1)...]
        } else {
            hasUserInfo = false
        }
        var hostBytes = authority
        var parsedPort: Int?
        if authority.first == 91, let close = authority.firstIndex(of: 93) {
            hostBytes = authority[...close]
            let after = authority[(close + 1)...]
            if after.first == 58 { parsedPort = Int(String(decoding: after.dropFirst(), as: UTF8.self)) }
        } else if let colon = authority.lastIndex(of: 58) {
            hostBytes = authority[..<colon]
            parsedPort = Int(String(decoding: authority[(colon + 1)...], as: UTF8.self))
        }
        while hostBytes.last == 46 { hostBytes = hostBytes.dropLast() }
        while hostBytes.first == 46 { hostBytes = hostBytes.dropFirst() }
        host = String(decoding: hostBytes, as: UTF8.self)
        port = parsedPort
    }

    public var isWeb: Bool { (scheme == "http" || scheme == "https" || scheme == "ftp") && !host.isEmpty }

    public var registrableDomain: String { DomainNames.registrableDomain(host) }

    /// Path or query words typical of credential-harvesting pages.
    public var hasCredentialPath: Bool {
        rest.withUnsafeBufferPointer { Self.credentialWords.occur(in: $0) }
    }

    static let credentialWords = BytePatterns([
        "login", "log-in", "signin", "sign-in", "logon", "verify", "verification", "account", "password", "passwd",
        "credential", "auth", "secure", "update", "confirm", "unlock", "webmail", "owa", "wp-admin", "validate", "recover",
    ])

    /// Another URL carried in the query or path: `?url=https://…`, `%3A%2F%2F`, `/http://…`.
    public var hasRedirectParameter: Bool {
        guard rest.count > 1 else { return false }
        return rest.withUnsafeBufferPointer { Self.redirectMarkers.occur(in: UnsafeBufferPointer(rebasing: $0.dropFirst())) }
    }

    static let redirectMarkers = BytePatterns(["http://", "https://", "http%3a", "https%3a", "%2f%2f"])

    static func lowercase(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    static func isTrimmed(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 34 || byte == 39 || byte == 60 || byte == 62
    }

    static func isSchemeByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 43 || byte == 45 || byte == 46
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = self, set = set
        if let trimmed = text.withUTF8({ text in set.withUTF8 { Self.asciiTrimmed(text, $0) } }) { return trimmed }
        let characters = Set(set)
        guard let start = firstIndex(where: { !characters.contains($0) }) else { return "" }
        let end = lastIndex { !characters.contains($0) }!
        return String(self[start...end])
    }

    /// `trimmingCharacters` when both are ASCII, on bytes: each byte is a character there,
    /// except CR LF, which is one (so "\r\n" in `set` trims the pair, not a lone CR or LF).
    private static func asciiTrimmed(_ text: UnsafeBufferPointer<UInt8>, _ set: UnsafeBufferPointer<UInt8>) -> String? {
        guard text.endOfASCII(from: 0) == text.count, set.endOfASCII(from: 0) == set.count else { return nil }
        // Bit `b` of the 128-bit mask: byte `b` is in the set.
        var mask: (low: UInt64, high: UInt64) = (0, 0)
        func inSet(_ byte: UInt8) -> Bool { (byte < 64 ? mask.low >> UInt64(byte) : mask.high >> UInt64(byte - 64)) & 1 != 0 }
        var crlfInSet = false
        var index = 0
        while index < set.count {
            if set[index] == 13, index + 1 < set.count, set[index + 1] == 10 {
                crlfInSet = true
                index += 2
            } else {
                let byte = set[index]
                if byte < 64 { mask.low |= 1 << UInt64(byte) } else { mask.high |= 1 << UInt64(byte - 64) }
                index += 1
            }
        }
        var start = 0, end = text.count
        while start < end {
            if text[start] == 13, start + 1 < end, text[start + 1] == 10 {
                guard crlfInSet else { break }
                start += 2
            } else {
                guard inSet(text[start]) else { break }
                start += 1
            }
        }
        while end > start {
            if text[end - 1] == 10, end - 2 >= start, text[end - 2] == 13 {
                guard crlfInSet else { break }
                end -= 2
            } else {
                guard inSet(text[end - 1]) else { break }
                end -= 1
            }
        }
        return String(decoding: text[start..<end], as: UTF8.self)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
