/// A few short byte patterns looked for together: one pass over the text that tries, at each
/// byte, only the patterns starting with it. For URL paths, which meet a couple of dozen words.
struct BytePatterns: Sendable {
    private let patterns: [[UInt8]]
    /// Indices into `patterns`, by first byte.
    private let byFirstByte: [[Int]]
    /// Bit `b` is set when some pattern starts with byte `b`: most bytes start none.
    private let firstBytes: [UInt64]

    init(_ strings: [String]) {
        patterns = strings.map { Array($0.utf8) }.filter { !$0.isEmpty }
        var byFirstByte = [[Int]](repeating: [], count: 256)
        var firstBytes = [UInt64](repeating: 0, count: 4)
        for (index, pattern) in patterns.enumerated() {
            let first = Int(pattern[0])
            byFirstByte[first].append(index)
            firstBytes[first >> 6] |= 1 << UInt64(first & 63)
        }
        self.byFirstByte = byFirstByte
        self.firstBytes = firstBytes
    }

    /// Whether any pattern occurs in `text`.
    func occur(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        for start in text.indices {
            let byte = Int(text[start])
            guard firstBytes[byte >> 6] & (1 << UInt64(byte & 63)) != 0 else { continue }
            for index in byFirstByte[byte] {
                let pattern = patterns[index]
                guard pattern.count <= text.count - start else { continue }
                var offset = 1
                while offset < pattern.count, text[start + offset] == pattern[offset] { offset += 1 }
                if offset == pattern.count { return true }
            }
        }
        return false
    }
}
