/// Collects the header section of a MIME entity from body lines (part headers and the
/// headers of attached messages), unfolding continuation lines, within a byte limit.
struct HeaderBlockReader: Sendable {
    private(set) var fields: [HeaderField] = []
    private var pendingName: [UInt8] = []
    private var pendingValue: [UInt8] = []
    private var hasPending = false
    private(set) var bytesSeen = 0
    /// Lines that were neither a field nor a continuation (obsolete or broken syntax).
    private(set) var malformedLines = 0
    /// The byte limit was reached; later lines were dropped.
    private(set) var overLimit = false
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// One header line without its line ending.
    mutating func addLine(_ line: ArraySlice<UInt8>) {
        bytesSeen += line.count + 2
        if bytesSeen > limit {
            overLimit = true
            return
        }
        if let first = line.first, first == 32 || first == 9 {
            if hasPending {
                pendingValue.append(10)
                pendingValue.append(contentsOf: line)
            } else {
                malformedLines += 1
            }
            return
        }
        flush()
        guard let colon = line.firstIndex(of: 58), colon > line.startIndex,
              line[line.startIndex..<colon].allSatisfy({ $0 > 32 && $0 < 127 || $0 == 32 })
        else {
            malformedLines += 1
            return
        }
        var nameEnd = colon
        while nameEnd > line.startIndex, line[nameEnd - 1] == 32 { nameEnd -= 1 }
        pendingName = Array(line[line.startIndex..<nameEnd])
        var valueStart = colon + 1
        while valueStart < line.endIndex, line[valueStart] == 32 || line[valueStart] == 9 { valueStart += 1 }
        pendingValue = Array(line[valueStart...])
        hasPending = true
    }

    mutating func finish() -> [HeaderField] {
        flush()
        return fields
    }

    private mutating func flush() {
        guard hasPending else { return }
        fields.append(HeaderField(name: String(decoding: pendingName, as: UTF8.self), value: String(decoding: pendingValue, as: UTF8.self)))
        hasPending = false
        pendingName = []
        pendingValue = []
    }
}
