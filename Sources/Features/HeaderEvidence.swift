import MailParsing

/// What the top-level headers say, gathered as they stream by.
struct HeaderEvidence: Sendable {
    var from: [Mailbox] = []
    var sawFrom = false
    var replyTo: [Mailbox] = []
    var returnPath: Mailbox?
    var messageIDDomain: String?
    var sawMessageID = false
    var date: String?
    var receivedCount = 0
    var mailer: String?
    var subject: String?
    var subjectEncoded = false
    var hasThreadHeaders = false
    var recipients = 0
    var sawTo = false
    var undisclosed = false
    var eightBit = false
    var listUnsubscribe = false
    /// Hosts of List-Unsubscribe's https URIs and domains of its mailto addresses, lower-cased.
    var listUnsubscribeHosts: [String] = []
    var listUnsubscribeHTTPS = false
    /// List-Unsubscribe-Post asks for RFC 8058 one-click unsubscription.
    var listUnsubscribePost = false
    var bulkPrecedence = false
    /// Authentication-Results headers from trusted authserv-ids, top first; others are not
    /// even parsed, since a sender can write them.
    var authentication: [AuthenticationResults] = []
    var dkimDomains: [String] = []
    let trustedAuthservIDs: Set<String>

    init(trustedAuthservIDs: Set<String>) {
        self.trustedAuthservIDs = trustedAuthservIDs
    }

    mutating func take(_ field: HeaderField) {
        if !eightBit {
            var value = field.value
            eightBit = value.withUTF8 { bytes in bytes.endOfASCII(from: 0) < bytes.count }
        }
        guard let name = Name(field) else { return }
        switch name {
        case .from:
            if !sawFrom {
                sawFrom = true
                from = AddressList.parse(field.unfoldedValue)
            }
        case .replyTo: if replyTo.isEmpty { replyTo = AddressList.parse(field.unfoldedValue) }
        case .returnPath: if returnPath == nil { returnPath = AddressList.parse(field.unfoldedValue).first }
        case .messageID:
            sawMessageID = true
            if let domain = Self.afterLastAt(field.unfoldedValue) { messageIDDomain = domain.trimmingCharacters(in: "<> ").lowercased() }
        case .date: if date == nil { date = field.unfoldedValue }
        case .received: receivedCount += 1
        case .xMailer, .userAgent: if mailer == nil { mailer = field.unfoldedValue.lowercased() }
        case .subject:
            if subject == nil {
                let raw = field.unfoldedValue
                subjectEncoded = raw.containsBytes("=?")
                subject = subjectEncoded ? EncodedWords.decode(raw).text : raw
            }
        case .inReplyTo, .references: hasThreadHeaders = true
        case .to, .cc:
            let list = AddressList.parse(field.unfoldedValue).filter { $0.address.containsCharacter("@") }
            recipients += list.count
            if field.isNamed("To") {
                sawTo = true
                if list.isEmpty || field.value.lowercased().containsBytes("undisclosed") { undisclosed = true }
            }
        case .listUnsubscribe:
            guard !listUnsubscribe else { return }
            listUnsubscribe = true
            takeListUnsubscribe(field.unfoldedValue)
        case .listUnsubscribePost: listUnsubscribePost = field.unfoldedValue.lowercased().containsBytes("one-click")
        case .precedence:
            let value = field.unfoldedValue.lowercased()
            bulkPrecedence = value == "bulk" || value == "list" || value == "junk"
        case .authenticationResults:
            if let id = Self.authservID(field.value), trustedAuthservIDs.contains(id), let results = AuthenticationResults(field.value) { authentication.append(results) }
        case .dkimSignature:
            if let domain = Self.tag("d", in: field.value) { dkimDomains.append(domain.lowercased()) }
        }
    }

    /// The `<uri>` entries of List-Unsubscribe (RFC 2369), some senders' RFC 2047-encoded:
    /// where unsubscribing is handled, for alignment with the other sending identities.
    private mutating func takeListUnsubscribe(_ raw: String) {
        let value = raw.containsBytes("=?") ? EncodedWords.decode(raw).text : raw
        for entry in Self.firstEntries(value, limit: Self.maxListUnsubscribeURIs) {
            let uri = entry.trimmingCharacters(in: " \t\r\n<>")
            if case .mailto(let domain) = Self.unsubscribeURI(uri) {
                if let domain { listUnsubscribeHosts.append(domain) }
            } else {
                let url = InspectedURL(parsing: uri)
                guard url.isWeb else { continue }
                listUnsubscribeHosts.append(url.host)
                if url.scheme == "https" { listUnsubscribeHTTPS = true }
            }
        }
    }

    static let maxListUnsubscribeURIs = 4

    /// A List-Unsubscribe URI: `mailto:` with the lower-cased domain of its address (nil
    /// without an "@"), or another scheme.
    private enum UnsubscribeURI { case mailto(domain: String?), other }

    /// On bytes for ASCII without CR, where every byte is a character; by characters otherwise.
    private static func unsubscribeURI(_ uri: String) -> UnsubscribeURI {
        var uri = uri
        let ascii = uri.withUTF8 { bytes -> UnsubscribeURI? in
            guard bytes.endOfASCII(from: 0) == bytes.count, !bytes.contains(13) else { return nil }
            guard bytes.count >= 7, zip(bytes[..<7], "mailto:".utf8).allSatisfy({ ($0 >= 65 && $0 <= 90 ? $0 + 32 : $0) == $1 }) else { return .other }
            let end = bytes.firstIndex(of: 63, from: 7) ?? bytes.count
            guard let at = bytes[7..<end].lastIndex(of: 64) else { return .mailto(domain: nil) }
            return .mailto(domain: String(decoding: bytes[(at + 1)..<end], as: UTF8.self).lowercased())
        }
        if let ascii { return ascii }
        guard uri.lowercased().hasPrefix("mailto:") else { return .other }
        let address = uri.dropFirst(7).prefix { $0 != "?" }
        guard let at = address.lastIndex(of: "@") else { return .mailto(domain: nil) }
        return .mailto(domain: address[address.index(after: at)...].lowercased())
    }

    /// The first `limit` non-empty pieces between commas, as `split(separator: ",")` gives
    /// them, without splitting the rest of a long value. On bytes for ASCII without CR,
    /// where every character is one byte.
    private static func firstEntries(_ value: String, limit: Int) -> [Substring] {
        guard value.utf8.allSatisfy({ $0 < 0x80 && $0 != 13 }) else { return Array(value.split(separator: ",").prefix(limit)) }
        var entries: [Substring] = []
        var start = value.utf8.startIndex
        var index = start
        while index < value.utf8.endIndex, entries.count < limit {
            if value.utf8[index] == 44 {
                if index > start { entries.append(value[start..<index]) }
                start = value.utf8.index(after: index)
            }
            index = value.utf8.index(after: index)
        }
        if entries.count < limit, start < value.utf8.endIndex { entries.append(value[start...]) }
        return entries
    }

    /// The fields read here, by lower-cased name.
    enum Name: String, CaseIterable {
        case from, replyTo = "reply-to", returnPath = "return-path", messageID = "message-id", date, received
        case xMailer = "x-mailer", userAgent = "user-agent", subject, inReplyTo = "in-reply-to", references, to, cc
        case listUnsubscribe = "list-unsubscribe", listUnsubscribePost = "list-unsubscribe-post", precedence, authenticationResults = "authentication-results"
        case dkimSignature = "dkim-signature"

        /// Without allocating for ASCII names (every real one); others are lower-cased by Unicode
        /// rules first, as some non-ASCII letters lower-case to ASCII ones.
        init?(_ field: HeaderField) {
            var name = field.name
            guard name.withUTF8({ $0.endOfASCII(from: 0) == $0.count }) else {
                self.init(rawValue: name.lowercased())
                return
            }
            guard let index = name.withUTF8({ bytes in Self.spellings.firstIndex { Self.equalsIgnoringASCIICase(bytes, $0) } }) else { return nil }
            self = Self.allCases[index]
        }

        private static let spellings = allCases.map { Array($0.rawValue.utf8) }

        private static func equalsIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercased: [UInt8]) -> Bool {
            guard bytes.count == lowercased.count else { return false }
            for index in bytes.indices where (bytes[index] >= 65 && bytes[index] <= 90 ? bytes[index] + 32 : bytes[index]) != lowercased[index] {
                return false
            }
            return true
        }
    }

    /// What follows the last "@", on bytes for ASCII: there an "@" byte is always a whole
    /// character, where elsewhere a combining mark may follow it.
    static func afterLastAt(_ value: String) -> String? {
        var value = value
        let ascii = value.withUTF8 { bytes -> String?? in
            guard bytes.endOfASCII(from: 0) == bytes.count else { return nil }
            return .some(bytes.lastIndex(of: 64).map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) })
        }
        if let ascii { return ascii }
        return value.lastIndex(of: "@").map { String(value[value.index(after: $0)...]) }
    }

    /// The authserv-id an Authentication-Results value starts with, lower-cased. On bytes for
    /// ASCII without CR, where every byte is a character (a CR LF pair is one).
    static func authservID(_ value: String) -> String? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 10 || byte == 9 }
        var value = value
        let ascii = value.withUTF8 { bytes -> String?? in
            guard bytes.endOfASCII(from: 0) == bytes.count, !bytes.contains(13) else { return nil }
            let end = bytes.firstIndex(of: 59, from: 0) ?? bytes.count
            var start = 0
            while start < end, isSpace(bytes[start]) { start += 1 }
            guard start < end else { return .some(nil) }
            var stop = start
            while stop < end, !isSpace(bytes[stop]) { stop += 1 }
            return String(decoding: bytes[start..<stop], as: UTF8.self).lowercased()
        }
        if let ascii { return ascii }
        return value.prefix { $0 != ";" }.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map { $0.lowercased() }
    }

    /// A tag's value in a `tag=value; tag=value` list.
    static func tag(_ name: String, in value: String) -> String? {
        var value = value
        var name = name
        let isASCII = value.withUTF8 { $0.endOfASCII(from: 0) == $0.count } && name.withUTF8 { $0.endOfASCII(from: 0) == $0.count }
        guard isASCII else { return characterTag(name, in: value) }
        return value.withUTF8 { bytes in name.withUTF8 { name in asciiTag(name, in: bytes) } }
    }

    /// `tag` for ASCII, on bytes: each byte is a character, except CR LF, which is one (so a
    /// lone CR or LF is not trimmed). Gives exactly what `characterTag` gives.
    private static func asciiTag(_ name: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var itemStart = 0
        while itemStart < bytes.count {
            let itemEnd = bytes[itemStart...].firstIndex(of: 59) ?? bytes.count
            defer { itemStart = itemEnd + 1 }
            // Leading '=' are skipped, as splitting on "=" omits empty pieces.
            var keyStart = itemStart
            while keyStart < itemEnd, bytes[keyStart] == 61 { keyStart += 1 }
            guard let keyEnd = bytes[keyStart..<itemEnd].firstIndex(of: 61), keyEnd + 1 < itemEnd else { continue }
            if bytes[trimmed(bytes, keyStart..<keyEnd)].elementsEqual(name) {
                return String(decoding: bytes[trimmed(bytes, (keyEnd + 1)..<itemEnd)], as: UTF8.self)
            }
        }
        return nil
    }

    /// `range` without leading and trailing spaces, tabs and CR LF pairs.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound, end = range.upperBound
        while start < end {
            if bytes[start] == 32 || bytes[start] == 9 {
                start += 1
            } else if bytes[start] == 13, start + 1 < end, bytes[start + 1] == 10 {
                start += 2
            } else {
                break
            }
        }
        while end > start {
            if bytes[end - 1] == 32 || bytes[end - 1] == 9 {
                end -= 1
            } else if bytes[end - 1] == 10, end - 2 >= start, bytes[end - 2] == 13 {
                end -= 2
            } else {
                break
            }
        }
        return start..<end
    }

    /// `tag` by characters, for values that are not ASCII.
    static func characterTag(_ name: String, in value: String) -> String? {
        for item in value.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: " \t\r\n") == name {
                return pair[1].trimmingCharacters(in: " \t\r\n")
            }
        }
        return nil
    }

    /// The first Authentication-Results header from a trusted authserv-id: ours is added on
    /// top, and anything below it came with the message.
    var trustedResults: AuthenticationResults? { authentication.first }
}
