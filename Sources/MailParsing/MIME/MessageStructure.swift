/// The shape of a message as the parser saw it: anomalies, limits hit, and HTML statistics.
public struct MessageStructure: Sendable, Equatable {
    /// Leaf parts seen (text, HTML, attachments), and containers.
    public var leafParts = 0
    public var containerParts = 0
    public var deepestNesting = 0
    public var limitsHit: Set<ParserLimit> = []
    /// A multipart declared without a usable boundary (read as plain text).
    public var multipartsWithoutBoundary = 0
    /// Multiparts whose closing delimiter never came.
    public var unterminatedMultiparts = 0
    /// Header lines that were neither fields nor continuations, in part headers.
    public var malformedHeaderLines = 0
    public var bodyBytes = 0
    public var nulBytes = 0
    /// Visible text bytes handed to the sink.
    public var textBytes = 0
    public var links = 0
    /// HTML statistics summed over HTML parts.
    public var html = HTMLStats()
    public var htmlParts = 0
    public var plainTextParts = 0

    public init() {}
}

extension HTMLStats {
    /// Sums another part's statistics into these (flags become "any part had it").
    mutating func add(_ other: HTMLStats) {
        tags += other.tags
        scripts += other.scripts
        styles += other.styles
        forms += other.forms
        passwordInputs += other.passwordInputs
        inputs += other.inputs
        iframes += other.iframes
        objects += other.objects
        images += other.images
        trackingPixels += other.trackingPixels
        visibleTextBytes += other.visibleTextBytes
        hiddenTextBytes += other.hiddenTextBytes
        linksDropped += other.linksDropped
        oversizedTags += other.oversizedTags
        comments += other.comments
        zeroWidthCharacters += other.zeroWidthCharacters
        nestingOverflows += other.nestingOverflows
        attributesDropped += other.attributesDropped
        truncatedURLs += other.truncatedURLs
        metaRefresh = metaRefresh || other.metaRefresh
        baseHref = baseHref || other.baseHref
    }
}
