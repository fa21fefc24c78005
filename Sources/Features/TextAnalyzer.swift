/// Streams visible text (and the subject) through normalisation, the phrase matcher, the
/// n-gram hasher and simple character statistics, independent of chunk boundaries.
struct TextAnalyzer: Sendable {
    private var matcherState: Int32 = 0
    private var lastWasSeparator = true
    private var wordHash = TextNGrams.fnvOffset
    private var wordLength = 0
    private var previousWord: UInt32?
    /// Which phrase patterns matched (distinct phrases count, not repetitions).
    private var matchedPatterns: [Bool]
    private(set) var ngrams = HashedCounts(capacity: TextNGrams.maxDistinct)
    private(set) var letters = 0
    private(set) var uppercase = 0
    private(set) var digits = 0
    private(set) var bytes = 0
    /// Word hashes per body kind, to compare the plain-text and HTML alternatives.
    private(set) var plainWords = HashedCounts(capacity: TextAnalyzer.maxWordsPerKind)
    private(set) var htmlWords = HashedCounts(capacity: TextAnalyzer.maxWordsPerKind)
    private var currentKind = Kind.subject
    static let maxWordsPerKind = 4_096
    static let maxWordBytes = 40

    enum Kind: Sendable { case subject, plain, html }

    init() {
        matchedPatterns = [Bool](repeating: false, count: PhraseGroups.matcher.patternCount)
        feedMatcher(32)
    }

    /// Text of one kind; a change of kind is a word boundary.
    mutating func feed(_ text: UnsafeRawBufferPointer, kind: Kind) {
        if kind != currentKind {
            separator()
            currentKind = kind
        }
        bytes += text.count
        for byte in text {
            if let word = TextNormaliser.wordByte(byte) {
                if byte < 128 {
                    if byte >= 65 && byte <= 90 { uppercase += 1; letters += 1 } else if byte >= 97 { letters += 1 } else { digits += 1 }
                }
                lastWasSeparator = false
                feedMatcher(word)
                if wordLength < Self.maxWordBytes { wordHash = TextNGrams.fnv(wordHash, word) }
                wordLength += 1
            } else {
                separator()
            }
        }
    }

    /// Ends the current word (and the text, at finish).
    mutating func separator() {
        guard !lastWasSeparator else { return }
        lastWasSeparator = true
        feedMatcher(32)
        endWord()
    }

    @inline(__always)
    private mutating func feedMatcher(_ byte: UInt8) {
        PhraseGroups.matcher.step(&matcherState, byte) { matchedPatterns[Int($0)] = true }
    }

    private mutating func endWord() {
        guard wordLength > 0 else { return }
        let word = wordHash
        wordHash = TextNGrams.fnvOffset
        wordLength = 0
        count(word % TextNGrams.bucketCount)
        if let previous = previousWord { count(TextNGrams.bigram(previous, word) % TextNGrams.bucketCount) }
        previousWord = word
        switch currentKind {
        case .plain: plainWords.increment(word)
        case .html: htmlWords.increment(word)
        case .subject: break
        }
    }

    private mutating func count(_ bucket: UInt32) {
        ngrams.increment(bucket)
    }

    /// Distinct phrases matched per phrase group, in `PhraseGroups.features` order.
    var phraseCounts: [Int] {
        var counts = [Int](repeating: 0, count: PhraseGroups.features.count)
        for (pattern, matched) in matchedPatterns.enumerated() where matched {
            counts[PhraseGroups.matcher.patternGroups[pattern]] += 1
        }
        return counts
    }
}
