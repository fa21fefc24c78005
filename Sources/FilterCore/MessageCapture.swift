/// The message as Postfix handed it over (header fields, then the body with CRLF line ends),
/// kept so that a deferred message can be spooled whole for full scoring. Bounded: past
/// `limit` bytes, or when the process-wide `CaptureBudget` is spent, it stops keeping
/// anything and says why.
struct MessageCapture: Sendable {
    enum Dropped: Sendable, Equatable {
        /// Longer than the spool limit.
        case tooLarge
        /// The budget of all sessions together was spent.
        case budgetSpent
    }

    let limit: Int
    private let lease: CaptureLease?
    private(set) var bytes: [UInt8] = []
    private(set) var dropped: Dropped?

    init(limit: Int, budget: CaptureBudget? = nil) {
        self.limit = limit
        self.lease = budget.map(CaptureLease.init)
    }

    var overflowed: Bool { dropped != nil }

    /// A field as `name: value`, its folds (`\n` in the value, as Postfix sends them) back to CRLF.
    mutating func header(name: String, value: String) {
        guard dropped == nil else { return }
        let before = bytes.count
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ": ".utf8)
        var value = value
        value.withUTF8 { CRLFLines.append($0, to: &bytes) }
        bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        if bytes.count > limit { return drop(.tooLarge) }
        if let lease, !lease.take(bytes.count - before) { drop(.budgetSpent) }
    }

    mutating func endOfHeaders() {
        append([UInt8(ascii: "\r"), UInt8(ascii: "\n")])
    }

    mutating func body(_ chunk: UnsafeRawBufferPointer) {
        guard dropped == nil else { return }
        guard bytes.count + chunk.count <= limit else { return drop(.tooLarge) }
        if let lease, !lease.take(chunk.count) { return drop(.budgetSpent) }
        bytes.append(contentsOf: chunk)
    }

    private mutating func append(_ data: [UInt8]) {
        guard dropped == nil else { return }
        guard bytes.count + data.count <= limit else { return drop(.tooLarge) }
        if let lease, !lease.take(data.count) { return drop(.budgetSpent) }
        bytes += data
    }

    private mutating func drop(_ reason: Dropped) {
        dropped = reason
        bytes = []
        lease?.giveAll()
    }
}
