/// Byte-level substring search and replacement. The standard library's `contains(String)`
/// goes through a general string searcher that costs thousands of instructions per call;
/// these run per host and per header, on short ASCII-heavy strings.
extension String {
    public func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var pattern = needle
        return haystack.withUTF8 { text in pattern.withUTF8 { text.firstRange(of: $0) != nil } }
    }

    /// Whether `other` occurs in this string, by characters as `contains(_:)` judges it, but on
    /// bytes when both are ASCII: there every character is one byte, except CR LF, which a
    /// needle neither starting with LF nor ending with CR cannot cut in two.
    public func containsCharacters(_ other: String) -> Bool {
        var haystack = self
        var needle = other
        let bytewise = haystack.withUTF8 { $0.endOfASCII(from: 0) == $0.count }
            && needle.withUTF8 { $0.count > 0 && $0.endOfASCII(from: 0) == $0.count && $0.first != 10 && $0.last != 13 }
        return bytewise ? containsBytes(other) : contains(other)
    }

    /// ASCII letters compared without case, every other byte exactly (header names are
    /// ASCII). On the two strings' buffers: zipping their UTF-8 views cost a call per byte.
    public func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var text = self, other = other
        return text.withUTF8 { text in other.withUTF8 { zip(text, $0).allSatisfy { HeaderField.lowerASCII($0) == HeaderField.lowerASCII($1) } } }
    }

    /// Whether `character` (ASCII, not CR or LF) occurs as a character of its own, as
    /// `contains(Character)` judges it: on bytes for ASCII, where each such byte is one.
    public func containsCharacter(_ character: Unicode.Scalar) -> Bool {
        precondition(character.isASCII && character != "\n" && character != "\r", "an ASCII character other than CR or LF")
        var text = self
        let ascii = text.withUTF8 { bytes in bytes.endOfASCII(from: 0) == bytes.count ? bytes.contains(UInt8(character.value)) : nil }
        return ascii ?? contains(Character(character))
    }

    /// The text before the first `character` (ASCII, not CR or LF), as `prefix { $0 !=
    /// character }` by characters gives it: on bytes for ASCII, where each such byte is one.
    public func prefix(before character: Unicode.Scalar) -> String {
        precondition(character.isASCII && character != "\n" && character != "\r", "an ASCII character other than CR or LF")
        var text = self
        let ascii = text.withUTF8 { bytes -> String? in
            guard bytes.endOfASCII(from: 0) == bytes.count else { return nil }
            return String(decoding: bytes[..<(bytes.firstIndex(of: UInt8(character.value), from: 0) ?? bytes.count)], as: UTF8.self)
        }
        return ascii ?? String(prefix { $0 != Character(character) })
    }

    /// The last non-empty piece between `separator`s, as `split(separator:).last` gives it:
    /// on bytes for ASCII, where every character is one byte (CR LF aside, which is why the
    /// separator may not be CR or LF).
    public func lastPiece(separatedBy separator: UInt8) -> String? {
        precondition(separator < 0x80 && separator != 10 && separator != 13, "an ASCII separator other than CR or LF")
        var text = self
        let ascii = text.withUTF8 { bytes -> String?? in
            guard bytes.endOfASCII(from: 0) == bytes.count else { return nil }
            var end = bytes.count
            while end > 0, bytes[end - 1] == separator { end -= 1 }
            guard end > 0 else { return .some(nil) }
            var start = end
            while start > 0, bytes[start - 1] != separator { start -= 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return ascii ?? split(separator: Character(Unicode.Scalar(separator))).last.map(String.init)
    }

    public func replacingAll(_ target: String, with replacement: String) -> String {
        // An empty target matches everywhere without advancing.
        guard !target.isEmpty else { return self }
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
    /// Index of the first byte >= 0x80 at or after `start`, or the end. Checks eight bytes at a
    /// time, which is what keeps ASCII-heavy mail fast.
    @inlinable @inline(__always)
    public func endOfASCII(from start: Int) -> Int {
        var index = start
        if let base = baseAddress {
            while index + 8 <= count,
                  UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
        }
        while index < count, self[index] < 0x80 { index += 1 }
        return index
    }

    /// Index of the first `byte` at or after `start`, or nil (see the raw buffer's).
    @inlinable
    public func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        UnsafeRawBufferPointer(self).firstIndex(of: byte, from: start)
    }

    /// Naive search: needles here are a few bytes long. A `while` over plain integers, since a
    /// closed-range loop does not compile to a tight loop.
    public func firstRange(of needle: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty else { return 0..<0 }
        guard needle.count <= count else { return nil }
        let first = needle[0]
        let lastStart = count - needle.count
        var start = 0
        while start <= lastStart {
            if self[start] == first {
                var offset = 1
                while offset < needle.count, self[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return start..<(start + needle.count) }
            }
            start += 1
        }
        return nil
    }
}

extension UnsafeRawBufferPointer {
    /// Index of the first `byte` at or after `start`, or nil. Tests eight bytes at a time:
    /// lines of mail are long enough for that to beat a byte loop several times over.
    @inlinable
    public func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        var index = start
        if let base = baseAddress {
            let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
            while index + 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ pattern
                // The lowest flagged byte is the first zero byte of `word` (flags above it may be false).
                let zeros = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if zeros != 0 { return index + zeros.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < count {
            if self[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// Index of the first `byte` or `other` at or after `start`, or nil; eight bytes at a time.
    @inlinable
    public func firstIndex(of byte: UInt8, or other: UInt8, from start: Int) -> Int? {
        var index = start
        if let base = baseAddress {
            let pattern = UInt64(byte) &* 0x0101_0101_0101_0101, otherPattern = UInt64(other) &* 0x0101_0101_0101_0101
            while index + 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let first = word ^ pattern, second = word ^ otherPattern
                // Each half's lowest flag is exact, so the lowest of both is the first match.
                let zeros = ((first &- 0x0101_0101_0101_0101) & ~first | (second &- 0x0101_0101_0101_0101) & ~second) & 0x8080_8080_8080_8080
                if zeros != 0 { return index + zeros.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < count {
            if self[index] == byte || self[index] == other { return index }
            index += 1
        }
        return nil
    }
}
