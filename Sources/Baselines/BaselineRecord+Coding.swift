/// A record's bytes in SQLite and Redis: a tag, then fixed little-endian fields. Bytes that do
/// not decode (a torn or foreign value) give nil, never a trap.
extension BaselineRecord {
    private enum Tag: UInt8 {
        case activity = 1, pair, recipient, displayName
    }

    public var encoded: [UInt8] {
        var writer = RecordWriter()
        switch self {
        case .activity(let record):
            writer.byte(Tag.activity.rawValue)
            writer.byte(record.firstCleanAt == nil ? 0 : 1)
            writer.int64(record.firstCleanAt ?? 0)
            writer.count(record.clean)
            writer.count(record.flagged)
            let words = record.recipients.words
            for word in [words.0, words.1, words.2, words.3] { writer.uint64(word) }
            writer.credit(record.cleanCredit)
            writer.credit(record.flaggedCredit)
        case .pair(let record):
            writer.byte(Tag.pair.rawValue)
            writer.int64(record.firstAt)
            writer.count(record.messages)
        case .recipient(let record):
            writer.byte(Tag.recipient.rawValue)
            for count in [record.messages, record.external, record.firstContact, record.quarantined] { writer.count(count) }
        case .displayName(let record):
            writer.byte(Tag.displayName.rawValue)
            let uses = record.uses.prefix(255)
            writer.byte(UInt8(uses.count))
            for use in uses {
                let address = Array(use.address.utf8.prefix(Int(UInt16.max)))
                writer.uint64(UInt64(address.count))
                writer.bytes.append(contentsOf: address)
                writer.int64(use.firstAt)
                writer.int64(use.lastAt)
            }
        }
        return writer.bytes
    }

    public init?(encoded bytes: some Collection<UInt8>) {
        var reader = RecordReader(bytes: Array(bytes))
        guard let tag = reader.byte().flatMap(Tag.init(rawValue:)) else { return nil }
        switch tag {
        case .activity:
            var record = ActivityRecord()
            guard let hasFirst = reader.byte(), let first = reader.int64(),
                  let clean = reader.count(), let flagged = reader.count(),
                  let w0 = reader.uint64(), let w1 = reader.uint64(), let w2 = reader.uint64(), let w3 = reader.uint64(),
                  let cleanCredit = reader.credit(), let flaggedCredit = reader.credit()
            else { return nil }
            record.firstCleanAt = hasFirst == 0 ? nil : first
            record.clean = clean
            record.flagged = flagged
            record.recipients = RecipientSketch(words: (w0, w1, w2, w3))
            record.cleanCredit = cleanCredit
            record.flaggedCredit = flaggedCredit
            self = .activity(record)
        case .pair:
            guard let first = reader.int64(), let messages = reader.count() else { return nil }
            var record = PairRecord(firstAt: first)
            record.messages = messages
            self = .pair(record)
        case .recipient:
            var record = RecipientRecord()
            guard let messages = reader.count(), let external = reader.count(), let firstContact = reader.count(), let quarantined = reader.count() else { return nil }
            record.messages = messages
            record.external = external
            record.firstContact = firstContact
            record.quarantined = quarantined
            self = .recipient(record)
        case .displayName:
            guard let count = reader.byte() else { return nil }
            var uses: [DisplayNameRecord.Use] = []
            for _ in 0..<count {
                guard let length = reader.uint64(), length <= UInt64(UInt16.max), let address = reader.take(Int(length)),
                      let first = reader.int64(), let last = reader.int64()
                else { return nil }
                uses.append(DisplayNameRecord.Use(address: String(decoding: address, as: UTF8.self), firstAt: first, lastAt: last))
            }
            self = .displayName(DisplayNameRecord(uses: uses))
        }
        guard reader.atEnd else { return nil }
    }
}

private struct RecordWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func int64(_ value: Int64) { uint64(UInt64(bitPattern: value)) }

    mutating func count(_ count: DecayedCount) {
        uint64(count.stored.bitPattern)
        int64(count.updatedAt)
    }

    mutating func credit(_ credit: DailyCredit) {
        int64(credit.day)
        uint64(UInt64(credit.used))
    }
}

private struct RecordReader {
    let bytes: [UInt8]
    var offset = 0

    var atEnd: Bool { offset == bytes.count }

    mutating func take(_ length: Int) -> ArraySlice<UInt8>? {
        guard length >= 0, bytes.count - offset >= length else { return nil }
        defer { offset += length }
        return bytes[offset..<(offset + length)]
    }

    mutating func byte() -> UInt8? { take(1)?.first }

    mutating func uint64() -> UInt64? {
        guard let slice = take(8) else { return nil }
        return slice.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func int64() -> Int64? { uint64().map { Int64(bitPattern: $0) } }

    mutating func count() -> DecayedCount? {
        guard let bits = uint64(), let updated = int64() else { return nil }
        return DecayedCount(stored: Double(bitPattern: bits), updatedAt: updated)
    }

    mutating func credit() -> DailyCredit? {
        guard let day = int64(), let used = uint64(), used <= UInt64(UInt32.max) else { return nil }
        return DailyCredit(day: day, used: UInt32(used))
    }
}
