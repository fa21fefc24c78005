/// What the parser learnt about one leaf part (text, HTML or attachment).
public struct PartSummary: Sendable, Equatable {
    /// Order of appearance among leaves, from 0.
    public let index: Int
    /// Nesting depth: 0 for a single-part message's body, 1 for a part of a top-level multipart.
    public let depth: Int
    /// Lower-cased `type/subtype`; `text/plain` when absent, as RFC 2045 says.
    public var contentType: String
    public var charset: String?
    public var transferEncoding: String
    public var disposition: String?
    /// From Content-Disposition `filename` or Content-Type `name`, decoded.
    public var filename: String?
    /// Not body text: a declared attachment, a named part, or a non-text type.
    public var isAttachment: Bool
    public var encodedBytes = 0
    public var decodedBytes = 0
    /// Attachments only: the type judged from the first bytes, and the SHA-256 of the decoded data.
    public var sniffedType: SniffedType?
    public var sha256: String?
    public var zipMembers: [String] = []
    public var zipEncryptedMembers = 0
    public var zipMalformed = false
    /// Invalid base64 characters or broken quoted-printable escapes.
    public var transferDecodeErrors = 0
    /// Base64 cut short or data after padding.
    public var transferMalformed = false
    /// Bytes the charset decoder could not map (replaced by U+FFFD).
    public var charsetReplacements = 0
    /// The declared charset is not one Gannet decodes (decoded as UTF-8 instead).
    public var unknownCharset = false
    /// The part was longer than the decoded-bytes limit.
    public var truncated = false

    public init(index: Int, depth: Int, contentType: String, charset: String?, transferEncoding: String, disposition: String?, filename: String?, isAttachment: Bool) {
        self.index = index
        self.depth = depth
        self.contentType = contentType
        self.charset = charset
        self.transferEncoding = transferEncoding
        self.disposition = disposition
        self.filename = filename
        self.isAttachment = isAttachment
    }

    public var isHTML: Bool { contentType == "text/html" }
}
