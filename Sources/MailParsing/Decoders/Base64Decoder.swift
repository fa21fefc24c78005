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
        output.reserveCapacity(output.count + input.count / 4 * 3 + 3)
        let table = Self.table
        for byte in input {
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
                output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                output.append(UInt8(truncatingIfNeeded: accumulator))
                pendingSextets = 0
                accumulator = 0
            }
        }
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
