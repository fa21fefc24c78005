/// A few short byte patterns looked for together: one pass over the text that looks each pair
/// of adjacent bytes up in a bitmap of the patterns' first two bytes, and compares patterns
/// only where one may start. For URL paths and link texts, which meet a few dozen words.
struct BytePatterns: Sendable {
    /// Every pattern's bytes, one after another: pattern `p` is `bytes[starts[p]..<starts[p + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int]
    /// Pattern numbers by first byte: those starting with byte `b` are
    /// `byFirstByte[firstByteStart[b]..<firstByteStart[b + 1]]`.
    private let byFirstByte: [Int]
    private let firstByteStart: [Int]
    /// Bit `b0 << 8 | b1` is set when a pattern starts with `b0 b1`, or is `b0` alone: most
    /// pairs start none.
    private let pairs: [UInt64]
    /// Bit `b` is set when a pattern is the one byte `b` (the only kind that fits at the end).
    private let singles: [UInt64]

    init(_ strings: [String]) {
        let patterns = strings.map { Array($0.utf8) }.filter { !$0.isEmpty }
        bytes = patterns.flatMap { $0 }
        starts = patterns.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        var byFirstByte: [Int] = [], firstByteStart: [Int] = []
        for first in 0...255 {
            firstByteStart.append(byFirstByte.count)
            byFirstByte += patterns.indices.filter { Int(patterns[$0][0]) == first }
        }
        firstByteStart.append(byFirstByte.count)
        self.byFirstByte = byFirstByte
        self.firstByteStart = firstByteStart
        var pairs = [UInt64](repeating: 0, count: 65_536 / 64)
        var singles = [UInt64](repeating: 0, count: 4)
        for pattern in patterns {
            let first = Int(pattern[0]) << 8
            let seconds = pattern.count > 1 ? Int(pattern[1])...Int(pattern[1]) : 0...255
            for second in seconds { pairs[(first | second) >> 6] |= 1 << UInt64(second & 63) }
            if pattern.count == 1 { singles[Int(pattern[0]) >> 6] |= 1 << UInt64(pattern[0] & 63) }
        }
        self.pairs = pairs
        self.singles = singles
    }

    /// Whether any pattern occurs in `text`.
    func occur(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let last = text.last else { return false }
        var start = 0
        while start + 1 < text.count {
            let pair = Int(text[start]) << 8 | Int(text[start + 1])
            if pairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0, matches(text, at: start) { return true }
            start += 1
        }
        return singles[Int(last) >> 6] & (1 << UInt64(last & 63)) != 0
    }

    /// Whether a pattern starting with the byte at `start` occurs there.
    private func matches(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let first = Int(text[start])
        for pattern in byFirstByte[firstByteStart[first]..<firstByteStart[first + 1]] {
            let patternStart = starts[pattern], count = starts[pattern + 1] - patternStart
            guard count <= text.count - start else { continue }
            var offset = 1
            while offset < count, text[start + offset] == bytes[patternStart + offset] { offset += 1 }
            if offset == count { return true }
        }
        return false
    }
}
