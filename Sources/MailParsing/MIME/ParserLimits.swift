/// Hard limits that keep hostile mail bounded. Hitting one is recorded as an outcome (and
/// becomes a feature); it never traps, hangs or grows memory without bound.
public struct ParserLimits: Sendable, Equatable {
    /// Nesting of multiparts and attached messages; deeper entities are treated as opaque data.
    public var maxDepth = 16
    /// MIME parts (leaves and containers); later parts are skipped, not parsed.
    public var maxParts = 500
    /// Bytes of one header section (top-level or a part's).
    public var maxHeaderBytes = 256 * 1024
    /// Decoded bytes analysed per part; the rest is counted but not decoded.
    public var maxDecodedBytesPerPart = 16 * 1024 * 1024
    /// Visible text handed to the feature extractor per message.
    public var maxTextBytes = 2 * 1024 * 1024
    /// Links recorded per message.
    public var maxLinks = 500
    /// When set, attachments are analysed only from their first this-many decoded bytes: the
    /// type is sniffed, but nothing is hashed or unpacked and the rest is not decoded. The
    /// inline pass uses it; archive contents and hashes are full-pass facts.
    public var attachmentPrefixOnly: Int?
    /// Hash each attachment's decoded bytes (SHA-256, `PartSummary.sha256`) outside prefix-only
    /// mode: for showing an attachment to a person. No feature reads the hash, so scoring
    /// leaves it off.
    public var hashAttachments = false
    /// Longest MIME boundary honoured (RFC 2046 allows 70).
    public var maxBoundaryBytes = 200
    public var html = HTMLLimits()

    public init() {}
}

/// Which limit a message hit.
public enum ParserLimit: String, Sendable, CaseIterable, Comparable {
    case depth, parts, headerBytes, decodedBytes, textBytes, links, boundaryLength

    public static func < (lhs: ParserLimit, rhs: ParserLimit) -> Bool { lhs.rawValue < rhs.rawValue }
}
