import MailParsing

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
        let bodyStart = all.withUnsafeBufferPointer { Self.readHeaders($0, into: &fields) }
        self.headers = fields
        self.body = all.withUnsafeBufferPointer { CRLFLines.converted(UnsafeBufferPointer(rebasing: $0[bodyStart...])) }
    }

    /// Reads the header fields at the start of `bytes` and returns where the body starts.
    /// On the buffer, a line at a time: this runs for every stored message scored offline.
    private static func readHeaders(_ bytes: UnsafeBufferPointer<UInt8>, into fields: inout [HeaderField]) -> Int {
        var pending = PendingField()
        var index = 0
        while index < bytes.count {
            let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n"), from: index) ?? bytes.count
            let end = lineEnd > index && bytes[lineEnd - 1] == UInt8(ascii: "\r") ? lineEnd - 1 : lineEnd
            let line = UnsafeBufferPointer(rebasing: bytes[index..<end])
            if line.isEmpty {
                pending.flush(into: &fields)
                return min(lineEnd + 1, bytes.count)
            }
            if line[0] == UInt8(ascii: " ") || line[0] == UInt8(ascii: "\t") {
                guard pending.fold(line) else { break }
            } else {
                guard let colon = line.firstIndex(of: UInt8(ascii: ":"), from: 0), colon > 0,
                      line[..<colon].allSatisfy({ $0 > 32 && $0 < 127 })
                else { break }
                pending.flush(into: &fields)
                var valueStart = colon + 1
                while valueStart < line.count, line[valueStart] == UInt8(ascii: " ") || line[valueStart] == UInt8(ascii: "\t") {
                    valueStart += 1
                }
                pending.start(name: UnsafeBufferPointer(rebasing: line[..<colon]), value: UnsafeBufferPointer(rebasing: line[valueStart...]))
            }
            index = min(lineEnd + 1, bytes.count)
        }
        pending.flush(into: &fields)
        return index
    }

    /// The field being read: its value grows by the continuation lines that follow it.
    private struct PendingField {
        var name: String?
        /// The value's first line, in the buffer being read (this never outlives that read):
        /// the value is made from there unless the field folds.
        var firstLine = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        /// The value with its continuation lines, when it has any.
        var folded: [UInt8] = []
        var isFolded = false

        mutating func start(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
            self.name = String(decoding: name, as: UTF8.self)
            firstLine = value
            isFolded = false
        }

        /// A continuation line, kept as `\n` and the line; false when no field precedes it.
        mutating func fold(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
            guard name != nil else { return false }
            if !isFolded {
                folded.removeAll(keepingCapacity: true)
                folded.append(contentsOf: firstLine)
                isFolded = true
            }
            folded.append(UInt8(ascii: "\n"))
            folded.append(contentsOf: line)
            return true
        }

        mutating func flush(into fields: inout [HeaderField]) {
            if let name {
                fields.append(HeaderField(name: name, value: isFolded ? String(decoding: folded, as: UTF8.self) : String(decoding: firstLine, as: UTF8.self)))
            }
            name = nil
        }
    }

    /// The first value of a header, case-insensitively.
    public func firstValue(of name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }
}
