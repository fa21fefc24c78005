import Crypto

/// Sniffs one attachment as it streams, lists zip members and, when asked, hashes it, without
/// keeping it. In prefix-only mode it just sniffs the first bytes and then says it has seen enough.
struct AttachmentAnalyzer: Sendable {
    private var hasher: SHA256?
    private var prefix: [UInt8] = []
    private var zip: ZipMemberScanner?
    private var decided = false
    private let prefixOnly: Bool
    private let prefixLength: Int

    init(prefixOnly: Int?, hashing: Bool) {
        self.prefixOnly = prefixOnly != nil
        prefixLength = min(prefixOnly ?? ContentSniffer.prefixLength, ContentSniffer.prefixLength)
        hasher = prefixOnly == nil && hashing ? SHA256() : nil
    }

    /// Prefix-only analysis has its bytes: the rest of the part need not be decoded.
    var hasSeenEnough: Bool { prefixOnly && prefix.count >= prefixLength }

    /// Every zip record signature is "PK" + two bytes below 9 (local header, spanned, empty
    /// archive): the scanner starts at once, before the sniffer has its full prefix.
    private static func startsZip(_ prefix: [UInt8]) -> Bool {
        prefix[0] == 0x50 && prefix[1] == 0x4B && prefix[2] < 9 && prefix[3] < 9
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        hasher?.update(bufferPointer: bytes)
        if zip != nil {
            zip!.feed(bytes)
        }
        guard prefix.count < prefixLength else { return }
        let wanted = min(bytes.count, prefixLength - prefix.count)
        let before = prefix.count
        prefix.append(contentsOf: bytes[0..<wanted])
        if !decided, prefix.count >= 4, !prefixOnly {
            decided = true
            if Self.startsZip(prefix) {
                var scanner = ZipMemberScanner()
                // What came before this chunk was only the prefix; the chunk itself follows it.
                scanner.feed(Array(prefix[0..<before]))
                scanner.feed(bytes)
                zip = scanner
            }
        }
    }

    mutating func finish(into summary: inout PartSummary) {
        summary.sniffedType = ContentSniffer.sniff(prefix)
        if let hasher { summary.sha256 = hasher.finalize().hex }
        if var scanner = zip {
            scanner.finish()
            summary.zipMembers = scanner.names
            summary.zipEncryptedMembers = scanner.encryptedMembers
            summary.zipMalformed = scanner.malformed
        }
    }
}
