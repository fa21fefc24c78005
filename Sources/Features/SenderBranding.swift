import MailParsing

/// Whether From's display name and address tell one story: the name names the sending domain
/// ("REWE Newsletter" <newsletter@mailing.rewe.de>) or the mailbox is the name's own ("Ralf
/// Senftleben" <ralf.senftleben@…>). Brands send from domains that bear their name; bulk
/// mail from throwaway domains rarely does ("Your secret admirer" <info@mail.bebopstation.com>).
enum SenderBranding {
    static func namesSender(displayName: String, address: String, registrableDomain: String) -> Bool {
        let words = words(of: displayName)
        let joined = words.joined()
        guard !joined.isEmpty else { return false }
        let domainName = Self.words(of: registrableDomain.prefix(before: ".")).joined()
        if domainName.count >= 3, joined.containsCharacters(domainName) || words.contains(where: { $0.count >= 4 && domainName.containsCharacters($0) }) {
            return true
        }
        let localPart = folded(address.prefix(before: "@")).filter { $0 != " " }
        return localPart.count >= 5 && !genericMailboxes.contains(localPart) && joined.containsCharacters(localPart)
    }

    /// Mailbox names any sender uses, which say nothing about who it is.
    static let genericMailboxes: Set<String> = [
        "newsletter", "newsletters", "noreply", "donotreply", "notifications", "notification", "service", "support",
        "contact", "hello", "marketing", "mailer", "admin", "office", "account", "accounts", "billing", "security", "alerts",
    ]

    /// Lower-cased words of letters and digits, umlauts spelt out (ö → oe) and other accents
    /// dropped, so "Schöpflin" meets schoepflin-stiftung.de.
    static func words(of text: String) -> [String] {
        var letters = folded(text)
        // Split on bytes where the folded text is ASCII, as it nearly always is (a letter with
        // a combining mark it cannot drop stays a character of its own).
        let asciiWords = letters.withUTF8 { bytes -> [String]? in
            guard bytes.endOfASCII(from: 0) == bytes.count else { return nil }
            return bytes.split(separator: 32).map { String(decoding: $0, as: UTF8.self) }
        }
        return asciiWords ?? letters.split(separator: " ").map(String.init)
    }

    private static func folded(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return foldedASCII(text) }
        var out = ""
        for character in text.lowercased() {
            switch character {
            case "a"..."z", "0"..."9": out.append(character)
            case "ä": out += "ae"
            case "ö": out += "oe"
            case "ü": out += "ue"
            case "ß": out += "ss"
            case "à", "á", "â", "ã", "å": out += "a"
            case "ç": out += "c"
            case "è", "é", "ê", "ë": out += "e"
            case "ì", "í", "î", "ï": out += "i"
            case "ñ": out += "n"
            case "ò", "ó", "ô", "õ", "ø": out += "o"
            case "ù", "ú", "û": out += "u"
            case "ý", "ÿ": out += "y"
            default: if out.last != " " { out += " " }
            }
        }
        return out
    }

    /// `folded` for ASCII text, by bytes: most names and domains, met once per link host.
    private static func foldedASCII(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
                out.append(lower)
            } else if out.last != 32 {
                out.append(32)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
