/// What a baseline record is about. Names are normalized (lower-case addresses, registrable
/// domains, folded display names) before they become keys.
public struct BaselineKey: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// A sender address (From, or the envelope sender when there is no From).
        case sender = 0x73 // "s"
        /// A sender's registrable domain.
        case domain = 0x64 // "d"
        /// One sender writing to one recipient: `sender` + NUL + `recipient`.
        case pair = 0x70 // "p"
        /// A recipient: what arrives for it.
        case recipient = 0x72 // "r"
        /// A From display name and the addresses it came from.
        case displayName = 0x6e // "n"
    }

    public let kind: Kind
    public let name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    public static func pair(from sender: String, to recipient: String) -> BaselineKey {
        BaselineKey(.pair, sender + "\u{0}" + recipient)
    }

    /// `kind letter + ":" + name`: the key in SQLite and Redis.
    public var storageKey: String {
        String(UnicodeScalar(kind.rawValue)) + ":" + name
    }

    public init?(storageKey: String) {
        let bytes = storageKey.utf8
        guard let first = bytes.first, let kind = Kind(rawValue: first),
              bytes.dropFirst().first == UInt8(ascii: ":")
        else { return nil }
        self.kind = kind
        self.name = String(storageKey.dropFirst(2))
    }
}
