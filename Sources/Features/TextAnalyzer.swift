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
    /// Which words each body kind used, as 4,096-bit signatures (a bit per word hash), to
    /// compare the plain-text and HTML alternatives cheaply.
    private(set) var plainWords = WordSignature()
    private(set) var htmlWords = WordSignature()
    private var currentKind = Kind.subject
    /// n-gram buckets of the words ended since the last flush, counted in one batch.
    private var pendingBuckets: [UInt32] = []
    static let maxWordBytes = 40

    enum Kind: Sendable { case subject, plain, html }

    init() {
        matchedPatterns = [Bool](repeating: false, count: PhraseGroups.matcher.patternCount)
        Self.matcher.step(&matcherState, 32) { _ in }
    }

    /// Text of one kind; a change of kind is a word boundary.
    mutating func feed(_ text: UnsafeRawBufferPointer, kind: Kind) {
        if kind != currentKind {
            separator()
            currentKind = kind
        }
        bytes += text.count
        // The hot loop of the extractor: state in locals, tables as raw buffers.
        let classes = Self.byteClasses
        var state = matcherState
        var hash = wordHash
        var length = wordLength
        var separated = lastWasSeparator
        var upper = 0, lower = 0, digit = 0
        Self.matcher.withTransitions { transitions, firstMatching in
            for byte in text {
                let entry = classes[Int(byte)]
                let word = UInt8(truncatingIfNeeded: entry)
                if word != 0 {
                    // Flags, not a switch on the kind: mixed case would mispredict its branches.
                    upper &+= Int((entry >> 8) & 1)
                    lower &+= Int((entry >> 9) & 1)
                    digit &+= Int((entry >> 10) & 1)
                    separated = false
                    state = transitions[Int(state) &+ Int(entry >> 11)]
                    if state >= firstMatching { record(state) }
                    if length < Self.maxWordBytes { hash = (hash ^ UInt32(word)) &* TextNGrams.fnvPrime }
                    length += 1
                } else if !separated {
                    separated = true
                    state = transitions[Int(state)]
                    if state >= firstMatching { record(state) }
                    if length > 0 { endWord(hash) }
                    hash = TextNGrams.fnvOffset
                    length = 0
                }
            }
        }
        matcherState = state
        wordHash = hash
        wordLength = length
        lastWasSeparator = separated
        flushBuckets()
        uppercase += upper
        letters += upper + lower
        digits += digit
    }

    private mutating func record(_ state: Int32) {
        Self.matcher.patterns(at: state) { matchedPatterns[Int($0)] = true }
    }

    static let matcher = PhraseGroups.matcher

    /// Per byte: the lower-cased word byte (0 for a separator) in bits 0–7, bit 8 set for an
    /// upper-case letter, bit 9 for a lower-case one, bit 10 for a digit, and the phrase
    /// matcher's symbol from bit 11.
    static let byteClasses: [UInt32] = (0...255).map { value in
        let byte = UInt8(value)
        guard let word = TextNormaliser.wordByte(byte) else { return 0 }
        let kind: UInt32 = (65...90).contains(byte) ? 1 << 8 : (97...122).contains(byte) ? 1 << 9 : (48...57).contains(byte) ? 1 << 10 : 0
        return UInt32(PhraseMatcher.symbol(word)) << 11 | kind | UInt32(word)
    }

    /// Ends the current word (and the text, at finish).
    mutating func separator() {
        guard !lastWasSeparator else { return }
        lastWasSeparator = true
        Self.matcher.step(&matcherState, 32) { matchedPatterns[Int($0)] = true }
        if wordLength > 0 { endWord(wordHash) }
        wordHash = TextNGrams.fnvOffset
        wordLength = 0
        flushBuckets()
    }

    private mutating func flushBuckets() {
        guard !pendingBuckets.isEmpty else { return }
        pendingBuckets.withUnsafeBufferPointer { ngrams.increment($0) }
        pendingBuckets.removeAll(keepingCapacity: true)
    }

    private mutating func endWord(_ word: UInt32) {
        pendingBuckets.append(word % TextNGrams.bucketCount)
        if let previous = previousWord { pendingBuckets.append(TextNGrams.bigram(previous, word) % TextNGrams.bucketCount) }
        previousWord = word
        switch currentKind {
        case .plain: plainWords.insert(word)
        case .html: htmlWords.insert(word)
        case .subject: break
        }
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

/// A fixed-size set of word hashes (one bit each): similarity of two texts' vocabularies
/// without storing the words.
struct WordSignature: Sendable, Equatable {
    private var bits = [UInt64](repeating: 0, count: 64)
    private(set) var isEmpty = true

    mutating func insert(_ word: UInt32) {
        let bit = Int(word & 4_095)
        bits[bit >> 6] |= 1 << UInt64(bit & 63)
        isEmpty = false
    }

    /// The share of `other`'s words that this signature has too. Containment rather than
    /// Jaccard: a plain part that spells out the links its HTML twin hides behind anchor
    /// text still agrees with it; an HTML body that says something else does not.
    func coverage(of other: WordSignature) -> Double {
        var shared = 0, theirs = 0
        for index in 0..<64 {
            shared += (bits[index] & other.bits[index]).nonzeroBitCount
            theirs += other.bits[index].nonzeroBitCount
        }
        return theirs == 0 ? 1 : Double(shared) / Double(theirs)
    }
}
