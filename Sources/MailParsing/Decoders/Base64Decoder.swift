/// Streaming base64 (RFC 2045): whitespace and line breaks are skipped, other stray
/// characters are counted and skipped, and decoding stops at padding.
public struct Base64Decoder: Sendable {
    private var accumulator: UInt32 = 0
    private var pendingSextets = 0
    private var sawPadding = false
    /// Characters outside the base64 alphabet (other than whitespace).
    public private(set) var invalidCharacters = 0
    /// Data after padding, or a final group cut short: signs of a truncated or tampered part.
    public private(set) var malformed = false

    public init() {}

    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8).enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        // URL-safe alphabet, which some mailers use.
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    public mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        // Bytes are written in place, then the unused room is trimmed. A chunk completes at most
        // (count + 3) / 4 groups (up to three sextets may wait from the last chunk), so
        // count / 4 * 3 + 3 bytes are always enough.
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: input.count / 4 * 3 + 3))
        let end = output.withUnsafeMutableBufferPointer { decode(input, into: $0, from: start) }
        output.removeLast(output.count - end)
    }

    /// Decodes into `out` from index `start`; returns the index after the last byte written.
    private mutating func decode(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int {
        var written = start
        var index = 0
        Self.table.withUnsafeBufferPointer { table in
            while index < input.count {
                // Four alphabet characters at a group boundary (nearly all of a body) at once.
                if pendingSextets == 0, !sawPadding, index + 4 <= input.count {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                    let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                    if (a | b | c | d) & 0xC0 == 0 {
                        let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        out[written] = UInt8(truncatingIfNeeded: group >> 16)
                        out[written + 1] = UInt8(truncatingIfNeeded: group >> 8)
                        out[written + 2] = UInt8(truncatingIfNeeded: group)
                        written += 3
                        index += 4
                        continue
                    }
                }
                let byte = input[index]
                index += 1
                let value = table[Int(byte)]
                if value == 0xFF {
                    if byte == 61 {
                        sawPadding = true
                    } else if byte != 13 && byte != 10 && byte != 32 && byte != 9 {
                        invalidCharacters += 1
                    }
                    continue
                }
                if sawPadding {
                    // Some mailers concatenate base64 blocks; keep decoding but remember it.
                    malformed = true
                    sawPadding = false
                    accumulator = 0
                    pendingSextets = 0
                }
                accumulator = accumulator << 6 | UInt32(value)
                pendingSextets += 1
                if pendingSextets == 4 {
                    out[written] = UInt8(truncatingIfNeeded: accumulator >> 16)
                    out[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 8)
                    out[written + 2] = UInt8(truncatingIfNeeded: accumulator)
                    written += 3
                    pendingSextets = 0
                    accumulator = 0
                }
            }
        }
        return written
    }

    public mutating func decode(_ input: [UInt8], into output: inout [UInt8]) {
        input.withUnsafeBytes { decode($0, into: &output) }
    }

    /// Emits what a final short group still holds.
    public mutating func finish(into output: inout [UInt8]) {
        switch pendingSextets {
        case 2:
            output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
            if !sawPadding { malformed = true }
        case 3:
            output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
            if !sawPadding { malformed = true }
        case 1:
            malformed = true
        default:
            break
        }
        pendingSextets = 0
        accumulator = 0
    }
}
