/// Byte-level substring search and replacement. The standard library's `contains(String)`
/// goes through a general string searcher that costs thousands of instructions per call;
/// these run per host and per header, on short ASCII-heavy strings.
extension String {
    public func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var pattern = needle
        return haystack.withUTF8 { text in pattern.withUTF8 { text.firstRange(of: $0) != nil } }
    }

    public func replacingAll(_ target: String, with replacement: String) -> String {
        var haystack = self
        var pattern = target
        return haystack.withUTF8 { text in
            pattern.withUTF8 { needle in
                guard text.firstRange(of: needle) != nil else { return self }
                var out: [UInt8] = []
                out.reserveCapacity(text.count)
                var index = 0
                while index < text.count {
                    if index + needle.count <= text.count, text[index..<(index + needle.count)].elementsEqual(needle) {
                        out.append(contentsOf: replacement.utf8)
                        index += needle.count
                    } else {
                        out.append(text[index])
                        index += 1
                    }
                }
                return String(decoding: out, as: UTF8.self)
            }
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Naive search: needles here are a few bytes long.
    public func firstRange(of needle: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty ? 0..<0 : nil }
        let first = needle[0]
        for start in 0...(count - needle.count) where self[start] == first {
            var matched = true
            for offset in 1..<needle.count where self[start + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { return start..<(start + needle.count) }
        }
        return nil
    }
}
