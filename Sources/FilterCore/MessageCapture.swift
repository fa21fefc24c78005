/// The message as Postfix handed it over (header fields, then the body with CRLF line ends),
/// kept so that a deferred message can be spooled whole for full scoring. Bounded: past
/// `limit` bytes it stops keeping anything and says so.
struct MessageCapture: Sendable {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    /// A field as `name: value`, its folds (`\n` in the value, as Postfix sends them) back to CRLF.
    mutating func header(name: String, value: String) {
        var line = Array(name.utf8) + Array(": ".utf8)
        line.reserveCapacity(line.count + value.utf8.count + 2)
        var previous: UInt8 = 0
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { line.append(UInt8(ascii: "\r")) }
            line.append(byte)
            previous = byte
        }
        line += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        append(line)
    }

    mutating func endOfHeaders() {
        append([UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    mutating func body(_ chunk: UnsafeRawBufferPointer) {
        guard !overflowed else { return }
        guard bytes.count + chunk.count <= limit else { return overflow() }
        bytes.append(contentsOf: chunk)
    }

    private mutating func append(_ data: [UInt8]) {
        guard !overflowed else { return }
        guard bytes.count + data.count <= limit else { return overflow() }
        bytes += data
    }

    private mutating func overflow() {
        overflowed = true
        bytes = []
    }
}
