/// One JSON object on one line, written field by field in the order given. For the
/// line-per-message outputs, where JSONEncoder cost as much as extracting a message's headers.
/// Written as bytes and made a String once: appending to a String costs a call per piece.
struct JSONLine {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    /// Whether the object being written has a field, so the next needs a comma.
    private var hasField = false

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        name(key)
        Self.appendQuoted(value, to: &bytes)
    }

    /// Shortest round-trip form, integral values without ".0", as JSONEncoder writes them;
    /// null for what JSON cannot hold.
    mutating func field(_ key: String, _ value: Double?) {
        guard let value else { return }
        name(key)
        guard value.isFinite else { return bytes.append(contentsOf: "null".utf8) }
        let written = value.description.utf8
        bytes.append(contentsOf: written.suffix(2).elementsEqual(".0".utf8) ? written.dropLast(2) : written[...])
    }

    mutating func field(_ key: String, _ value: Int?) {
        guard let value else { return }
        name(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// An array of objects, each written into this line by `write`.
    mutating func field<Element>(_ key: String, objects: [Element]?, _ write: (inout JSONLine, Element) -> Void) {
        guard let objects else { return }
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (index, element) in objects.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "{"))
            hasField = false
            write(&self, element)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
        hasField = true
    }

    var finished: String {
        String(unsafeUninitializedCapacity: bytes.count + 1) { buffer in
            _ = buffer.initialize(fromContentsOf: bytes)
            buffer[bytes.count] = UInt8(ascii: "}")
            return bytes.count + 1
        }
    }

    private mutating func name(_ key: String) {
        if hasField { bytes.append(UInt8(ascii: ",")) }
        hasField = true
        Self.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// RFC 8259 string escaping: quote, backslash and control characters; "/" stays as is.
    static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainStart = 0
            for (index, byte) in utf8.enumerated() {
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
                case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
                case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
                case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
                case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
                case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
                default: bytes.append(contentsOf: (#"\u00"# + (byte < 0x10 ? "0" : "1") + String(byte & 0x0F, radix: 16)).utf8)
                }
                plainStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
