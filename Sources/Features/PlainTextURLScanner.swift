import MailParsing

/// Finds `http://`, `https://` and `www.` URLs in streamed plain text, across chunk
/// boundaries, in bounded memory.
struct PlainTextURLScanner: Sendable {
    private(set) var urls: [String] = []
    private(set) var dropped = 0
    private var window: UInt64 = 0
    private var current: [UInt8]?
    let maxURLs: Int
    static let maxURLBytes = 2_048

    init(maxURLs: Int) {
        self.maxURLs = maxURLs
    }

    mutating func feed(_ text: UnsafeRawBufferPointer) {
        var index = 0
        while index < text.count {
            if current != nil {
                // The rest of the URL in this chunk, copied in one go; its end byte is dropped.
                var end = index
                while end < text.count, !Self.endsURL(text[end]) { end += 1 }
                let kept = min(end, index + max(0, Self.maxURLBytes - current!.count))
                if kept > index { current!.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[index..<kept])) }
                if end < text.count { finishURL() }
                index = end + 1
            } else {
                index = scan(text, from: index)
            }
        }
    }

    /// Looks for the start of a URL from `index`; returns the index after the byte that
    /// completed one (`current` is then set), or the end.
    private mutating func scan(_ text: UnsafeRawBufferPointer, from start: Int) -> Int {
        var window = self.window
        defer { self.window = window }
        // `window` holds the last eight bytes before `next`, lower-cased.
        var next = start
        func advance(to end: Int) {
            // Bytes more than eight back would be shifted out again.
            for index in max(next, end - 8)..<end {
                let byte = text[index]
                window = window << 8 | UInt64(byte >= 65 && byte <= 90 ? byte + 32 : byte)
            }
            next = end
        }
        // Every prefix ends in "/" or ".", so only there can one be complete: the bytes
        // between are skipped eight at a time.
        while let end = text.firstIndex(of: 0x2F, or: 0x2E, from: next) {
            advance(to: end + 1)
            // "http://" and "https://" end in "://"; "www." needs a boundary before it.
            if window & 0xFF_FFFF == 0x3A2F2F {
                if window & 0xFF_FFFF_FFFF_FFFF == 0x68_7474_703A_2F2F {
                    current = Array("http://".utf8)
                    return next
                } else if window == 0x6874_7470_733A_2F2F {
                    current = Array("https://".utf8)
                    return next
                }
            } else if window & 0xFFFF_FFFF == 0x7777_772E, !Self.isWordByte(UInt8(truncatingIfNeeded: window >> 32)) {
                current = Array("www.".utf8)
                return next
            }
        }
        advance(to: text.count)
        return text.count
    }

    mutating func finish() {
        if current != nil { finishURL() }
    }

    private mutating func finishURL() {
        guard var url = current else { return }
        current = nil
        window = 0
        // Sentence punctuation after a URL is not part of it.
        while let last = url.last, last == 46 || last == 44 || last == 59 || last == 58 || last == 33 || last == 63 || last == 41 { url.removeLast() }
        guard url.count > 8 else { return }
        if urls.count < maxURLs {
            urls.append(String(decoding: url, as: UTF8.self))
        } else {
            dropped += 1
        }
    }

    static func endsURL(_ byte: UInt8) -> Bool {
        byte <= 32 || byte == 34 || byte == 39 || byte == 60 || byte == 62 || byte == 96 || byte == 123 || byte == 125 || byte == 124 || byte == 93
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 122) || byte == 46 || byte == 47 || byte >= 128
    }
}
