import Detection
import Features

/// How addresses, domains and display names become keys, the same for lookups and learning.
enum BaselineNames {
    /// Longest address kept (RFC 5321's path limit); a longer one is no address, so a sender
    /// cannot fill the store with huge keys.
    static let maximumAddressBytes = 254
    /// Longest folded display name kept, in characters; longer ones are cut.
    static let maximumDisplayNameCharacters = 128

    /// The address as the lists match it (`MailAddress`: lower-case, no brackets or display
    /// name); "" when there is none or it is longer than `maximumAddressBytes`.
    static func address(_ text: String) -> String {
        guard text.utf8.count <= maximumAddressBytes * 4, let address = MailAddress(parsing: text)?.description,
              address.utf8.count <= maximumAddressBytes
        else { return "" }
        return address
    }

    /// The registrable domain of a normalized address.
    static func domain(ofAddress address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return DomainNames.registrableDomain(String(address[address.index(after: at)...]))
    }

    /// Letters and digits, lower-cased, words joined by one space: `"Smith, John "` and
    /// `john  SMITH` stay different (order matters to people), quotes and commas go.
    /// "" when fewer than three letters are left, or when the name is itself an address.
    static func displayName(_ text: String) -> String {
        guard !text.contains("@") else { return "" }
        var result = ""
        var letters = 0
        var pendingSpace = false
        for character in text.lowercased() where result.count < maximumDisplayNameCharacters {
            if character.isLetter || character.isNumber {
                if pendingSpace, !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.append(character)
                if character.isLetter { letters += 1 }
            } else if character.isWhitespace {
                pendingSpace = true
            }
        }
        return letters >= 3 ? result : ""
    }
}
