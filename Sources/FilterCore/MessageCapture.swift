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
        guard !overflowed else { return }
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ": ".utf8)
        var value = value
        value.withUTF8 { CRLFLines.append($0, to: &bytes) }
        bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        if bytes.count > limit { overflow() }
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
