/// A stored message (RFC 5322 bytes) cut into what Postfix hands a milter: header fields with
/// the name and unfolded-as-sent value, then the body with CRLF line ends.
public struct RawMessage: Sendable {
    public struct HeaderField: Sendable, Equatable {
        public let name: String
        /// Value with the leading space after the colon removed and folds kept as `\n`
        /// followed by the continuation line, as Postfix sends it.
        public let value: String
    }

    public let headers: [HeaderField]
    public let body: [UInt8]

    /// Splits at the first empty line. A line that is neither a field nor a continuation
    /// ends the header section, as it does in Postfix's cleanup.
    public init(bytes: some Collection<UInt8>) {
        let all = Array(bytes)
        var fields: [HeaderField] = []
        var index = 0
        var pendingName: String?
        var pendingValue: [UInt8] = []

        func flush() {
            if let name = pendingName {
                fields.append(HeaderField(name: name, value: String(decoding: pendingValue, as: UTF8.self)))
            }
            pendingName = nil
            pendingValue = []
        }

        while index < all.count {
            let lineEnd = all[index...].firstIndex(of: UInt8(ascii: "\n")) ?? all.count
            var line = all[index..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty {
                index = min(lineEnd + 1, all.count)
                break
            }
            if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
                if pendingName != nil {
                    pendingValue.append(UInt8(ascii: "\n"))
                    pendingValue.append(contentsOf: line)
                    index = lineEnd + 1
                    continue
                }
                break
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy({ $0 > 32 && $0 < 127 })
            else { break }
            flush()
            pendingName = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            var valueStart = line.index(after: colon)
            while valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") || line[valueStart] == UInt8(ascii: "\t") {
                valueStart += 1
            }
            pendingValue = Array(line[valueStart...])
            index = lineEnd + 1
        }
        flush()
        self.headers = fields
        self.body = Self.crlfLines(all[min(index, all.count)...])
    }

    /// Postfix hands milters the body with CRLF line ends whatever the stored form.
    static func crlfLines(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 32)
        bytes.withUnsafeBufferPointer { CRLFLines.append($0, to: &out) }
        return out
    }

    /// The first value of a header, case-insensitively.
    public func firstValue(of name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }
}
