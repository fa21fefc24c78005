/// One JSON object on one line, written field by field in the order given. For the
/// line-per-message outputs, where JSONEncoder cost as much as extracting a message's headers.
struct JSONLine {
    private var text = "{"

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        name(key)
        Self.appendQuoted(value, to: &text)
    }

    /// Shortest round-trip form, integral values without ".0", as JSONEncoder writes them;
    /// null for what JSON cannot hold.
    mutating func field(_ key: String, _ value: Double?) {
        guard let value else { return }
        name(key)
        guard value.isFinite else { return text += "null" }
        let written = value.description
        text += written.hasSuffix(".0") ? String(written.dropLast(2)) : written
    }

    mutating func field(_ key: String, _ value: Int?) {
        guard let value else { return }
        name(key)
        text += String(value)
    }

    /// A value already written as JSON (an array of objects, say).
    mutating func field(_ key: String, json: String?) {
        guard let json else { return }
        name(key)
        text += json
    }

    var finished: String { text + "}" }

    private mutating func name(_ key: String) {
        if text.utf8.count > 1 { text += "," }
        Self.appendQuoted(key, to: &text)
        text += ":"
    }

    /// RFC 8259 string escaping: quote, backslash and control characters; "/" stays as is.
    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        var plainStart = value.utf8.startIndex
        for index in value.utf8.indices {
            let byte = value.utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            text += value[plainStart..<index]
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0x08: text += "\\b"
            case 0x0C: text += "\\f"
            default: text += "\\u00" + (byte < 0x10 ? "0" : "1") + String(byte & 0x0F, radix: 16)
            }
            plainStart = value.utf8.index(after: index)
        }
        text += value[plainStart...]
        text += "\""
    }
}
