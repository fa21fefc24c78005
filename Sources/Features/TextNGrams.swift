/// Hashed word n-grams for a text model: unigrams and bigrams of normalised words, hashed
/// (FNV-1a) into a fixed number of buckets. Part of the schema digest.
public enum TextNGrams {
    public static let bucketCount: UInt32 = 1 << 18
    /// Bump when tokenisation or hashing changes, so old models are refused.
    public static let version = 1
    /// Distinct buckets kept per message; beyond it new n-grams are dropped (bounded memory).
    public static let maxDistinct = 8_192

    static let fnvOffset: UInt32 = 2_166_136_261
    static let fnvPrime: UInt32 = 16_777_619

    @inline(__always)
    static func fnv(_ hash: UInt32, _ byte: UInt8) -> UInt32 {
        (hash ^ UInt32(byte)) &* fnvPrime
    }

    /// The hash of a word pair, from the two word hashes (order matters).
    @inline(__always)
    static func bigram(_ first: UInt32, _ second: UInt32) -> UInt32 {
        var hash = (first &* 0x9E37_79B1) ^ second
        hash ^= hash >> 16
        hash &*= 0x85EB_CA6B
        hash ^= hash >> 13
        return hash
    }
}

/// The byte classes of text normalisation, shared by the text and the phrases.
enum TextNormaliser {
    /// Lower-cased word byte, or nil for a separator. Non-ASCII bytes (UTF-8 letters) are
    /// word bytes.
    @inline(__always)
    static func wordByte(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 65...90: byte + 32
        case 97...122, 48...57, 128...255: byte
        default: nil
        }
    }

    /// " word word " with single spaces: phrases match on word boundaries.
    static func normalisedPhrase(_ phrase: String) -> [UInt8] {
        var out: [UInt8] = [32]
        for byte in phrase.utf8 {
            if let word = wordByte(byte) {
                out.append(word)
            } else if out.last != 32 {
                out.append(32)
            }
        }
        if out.last != 32 { out.append(32) }
        return out.count > 2 ? out : []
    }
}
