/// Streaming quoted-printable (RFC 2045): `=XX` escapes and soft line breaks; a broken
/// escape is kept literally and counted.
public struct QuotedPrintableDecoder: Sendable {
    /// Bytes after a pending `=` that could not yet be judged (at most two).
    private var pending: [UInt8] = []
    private var inEscape = false
    public private(set) var invalidEscapes = 0

    public init() {}

    public mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var index = 0
        while index < input.count {
            if !inEscape {
                // Copy the run up to the next "=" in one go.
                let end = input.firstIndex(of: 61, from: index) ?? input.count
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<end]))
                index = end
                guard index < input.count else { break }
                // An escape or soft line break wholly inside this chunk, the common case, is
                // judged here; anything else goes through `pending`.
                if index + 2 < input.count {
                    let first = input[index + 1], second = input[index + 2]
                    if let high = hexValue(first), let low = hexValue(second) {
                        output.append(high << 4 | low)
                        index += 3
                        continue
                    }
                    if first == 13 && second == 10 {
                        index += 3
                        continue
                    }
                }
                inEscape = true
                index += 1
                continue
            }
            pending.append(input[index])
            index += 1
            resolve(into: &output)
        }
    }

    public mutating func decode(_ input: [UInt8], into output: inout [UInt8]) {
        input.withUnsafeBytes { decode($0, into: &output) }
    }

    private mutating func resolve(into output: inout [UInt8]) {
        let first = pending[0]
        // Soft line break: "=\r\n", "=\n", or "=" + trailing spaces before the break.
        if first == 10 { return finishEscape() }
        if first == 13 {
            if pending.count == 2 {
                if pending[1] != 10 { output.append(contentsOf: pending.dropFirst()) }
                finishEscape()
            }
            return
        }
        if first == 32 || first == 9 {
            // Whitespace after "=" before the line break: wait for the break.
            if let last = pending.last, last == 10 { return finishEscape() }
            if let last = pending.last, last != 32, last != 9, last != 13 {
                invalidEscapes += 1
                output.append(61)
                output.append(contentsOf: pending)
                finishEscape()
            } else if pending.count > 76 {
                finishEscape()
            }
            return
        }
        guard pending.count == 2 else {
            if hexValue(first) == nil {
                invalidEscapes += 1
                output.append(61)
                output.append(first)
                finishEscape()
            }
            return
        }
        if let high = hexValue(pending[0]), let low = hexValue(pending[1]) {
            output.append(high << 4 | low)
        } else {
            invalidEscapes += 1
            output.append(61)
            output.append(contentsOf: pending)
        }
        finishEscape()
    }

    private mutating func finishEscape() {
        pending.removeAll(keepingCapacity: true)
        inEscape = false
    }

    /// A trailing lone `=` (or half an escape) is kept literally.
    public mutating func finish(into output: inout [UInt8]) {
        if inEscape {
            let onlySpace = pending.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
            if !onlySpace {
                invalidEscapes += 1
                output.append(61)
                output.append(contentsOf: pending)
            }
        }
        finishEscape()
    }
}
