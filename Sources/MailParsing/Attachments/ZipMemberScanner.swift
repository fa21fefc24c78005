/// Reads zip member names from a stream of archive bytes without inflating anything.
///
/// Local file headers are read as they stream past and member data is skipped by its
/// compressed size; the central directory then confirms or adds names. Memory stays bounded
/// by the limits whatever the input: header bytes are collected into small buffers, extra
/// fields beyond 1 KiB and name bytes beyond `maxNameBytes` are counted off, not stored.
public struct ZipMemberScanner: Sendable {
    /// Caps that keep a hostile archive from growing the scanner's memory.
    public struct Limits: Sendable, Equatable {
        /// Names kept at most; further members are only counted in `membersDropped`.
        public var maxMembers = 1_000
        /// Bytes kept of each name; longer names are truncated.
        public var maxNameBytes = 1_024
        public init() {}
    }

    /// Member names in archive order, de-duplicated (local headers and central directory both name them),
    /// decoded as UTF-8 with invalid bytes replaced (CP437 names are not transcoded).
    ///
    /// A name stored twice in the archive (a trick to show different files to different tools)
    /// appears twice here.
    public private(set) var names: [String] = []
    /// Members flagged as encrypted: general purpose flag bit 0, or AES extra field 0x9901.
    public private(set) var encryptedMembers = 0
    /// Members beyond `maxMembers`, not listed in `names`.
    public private(set) var membersDropped = 0
    /// The stream ended inside a header, or the structure was not understood (data descriptors without
    /// a following signature, corrupt sizes). Scanning resumes at the next recognisable header.
    public private(set) var malformed = false
    /// A central directory file header was read.
    public private(set) var sawCentralDirectory = false

    private enum Record {
        case local, central, end, zip64End, zip64Locator, digitalSignature, archiveExtraData

        init?(signature: UInt32) {
            switch signature {
            case 0x0403_4B50: self = .local
            case 0x0201_4B50: self = .central
            case 0x0605_4B50: self = .end
            case 0x0606_4B50: self = .zip64End
            case 0x0706_4B50: self = .zip64Locator
            case 0x0505_4B50: self = .digitalSignature
            case 0x0806_4B50: self = .archiveExtraData
            default: return nil
            }
        }

        /// Bytes before the variable-length part, signature included.
        var fixedLength: Int {
            switch self {
            case .local: 30
            case .central: 46
            case .end: 22
            case .zip64End: 12
            case .zip64Locator: 20
            case .digitalSignature: 6
            case .archiveExtraData: 8
            }
        }
    }

    private enum AfterSkip { case signature, descriptor }

    private enum Phase {
        /// Collecting the 4-byte signature of the next record into `header`.
        case signature
        case fixed(Record)
        case name(remaining: Int)
        case extra(remaining: Int)
        case skip(remaining: UInt64, then: AfterSkip)
        /// Collecting 4 bytes after data of known size: a data descriptor signature, its CRC, or the next record.
        case descriptor
        /// Looking byte by byte for the next record: after data of unknown size (`member`), or to resynchronise.
        case scan(member: Bool)
        case done
    }

    private struct Sightings: Sendable {
        var local = 0
        var central = 0
    }

    private static let descriptorSignature: UInt32 = 0x0807_4B50
    /// Extra-field bytes kept per header: enough for the ZIP64 and AES records, which come first in practice.
    private static let extraCap = 1_024

    private let limits: Limits
    private var phase = Phase.signature
    private var header: [UInt8] = []
    private var record = Record.local
    private var nameBytes: [UInt8] = []
    private var extraBytes: [UInt8] = []
    private var extraLength = 0
    /// The member whose data is being skipped wrote ZIP64 (8-byte) sizes into its data descriptor.
    private var memberIsZip64 = false

    // Scan state: the last 24 bytes seen (newest in the high byte of `recent`) and bytes scanned.
    private var recent: UInt64 = 0, middle: UInt64 = 0, oldest: UInt64 = 0
    private var scanned: UInt64 = 0

    private var sightings: [String: Sightings] = [:]
    private var localHeaders = 0, centralHeaders = 0
    private var encryptedLocal = 0, encryptedCentral = 0
    private var droppedLocal = 0, droppedCentral = 0

    /// Creates a scanner for one archive.
    public init(limits: Limits = Limits()) {
        self.limits = limits
        header.reserveCapacity(46)
    }

    /// Feeds the next chunk of archive bytes; chunks may split headers anywhere.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count {
            switch phase {
            case .done:
                return
            case .signature:
                index += collect(bytes, from: index, upTo: 4)
                if header.count == 4 { dispatchSignature() }
            case .descriptor:
                index += collect(bytes, from: index, upTo: 4)
                if header.count == 4 { dispatchDescriptor() }
            case .fixed(let record):
                index += collect(bytes, from: index, upTo: record.fixedLength)
                if header.count == record.fixedLength { fixedPartRead(record) }
            case .name(let remaining):
                let take = min(remaining, bytes.count - index)
                let keep = min(take, max(0, limits.maxNameBytes - nameBytes.count))
                nameBytes.append(contentsOf: bytes[index..<index + keep])
                index += take
                if take == remaining { phase = .extra(remaining: extraLength) } else { phase = .name(remaining: remaining - take) }
            case .extra(let remaining):
                guard remaining > 0 else {
                    variablePartRead()
                    continue
                }
                let take = min(remaining, bytes.count - index)
                let keep = min(take, Self.extraCap - extraBytes.count)
                extraBytes.append(contentsOf: bytes[index..<index + keep])
                index += take
                if take == remaining { variablePartRead() } else { phase = .extra(remaining: remaining - take) }
            case .skip(let remaining, let then):
                let available = UInt64(bytes.count - index)
                guard available < remaining else {
                    index += Int(remaining)
                    phase = then == .descriptor ? .descriptor : .signature
                    continue
                }
                index = bytes.count
                phase = .skip(remaining: remaining - available, then: then)
            case .scan(let member):
                index = scan(bytes, from: index, member: member)
            }
        }
        settle()
    }

    /// Feeds the next chunk of archive bytes; chunks may split headers anywhere.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Marks the end of the stream; an archive that stops before its end record is malformed.
    public mutating func finish() {
        settle()
        if case .done = phase { return }
        malformed = true
        phase = .done
    }

    // MARK: - Records

    /// Completes a header whose remaining variable-length fields are empty, so the outcome does not
    /// depend on whether more input happened to follow in the same chunk.
    private mutating func settle() {
        if case .name(remaining: 0) = phase { phase = .extra(remaining: extraLength) }
        if case .extra(remaining: 0) = phase { variablePartRead() }
    }

    private mutating func collect(_ bytes: UnsafeRawBufferPointer, from index: Int, upTo length: Int) -> Int {
        let take = min(length - header.count, bytes.count - index)
        header.append(contentsOf: bytes[index..<index + take])
        return take
    }

    private mutating func dispatchSignature() {
        let signature = UInt32(Self.littleEndian(header, at: 0, count: 4))
        if let record = Record(signature: signature) {
            phase = .fixed(record)
        } else if signature == Self.descriptorSignature || signature == 0x3030_4B50 {
            // Split-archive markers ("PK\x07\x08", "PK00") carry nothing.
            header.removeAll(keepingCapacity: true)
        } else {
            resynchronise(after: signature)
        }
    }

    /// After a member of known size whose flags announce a data descriptor.
    private mutating func dispatchDescriptor() {
        let word = UInt32(Self.littleEndian(header, at: 0, count: 4))
        header.removeAll(keepingCapacity: true)
        if word == Self.descriptorSignature {
            phase = .skip(remaining: memberIsZip64 ? 20 : 12, then: .signature)
        } else if let record = Record(signature: word), record == .local || record == .central || record == .end {
            // No descriptor was written after all.
            header = Self.bytes(of: word)
            phase = .fixed(record)
        } else {
            // The descriptor has no signature: that was its CRC; the sizes follow.
            phase = .skip(remaining: memberIsZip64 ? 16 : 8, then: .signature)
        }
    }

    private mutating func fixedPartRead(_ record: Record) {
        self.record = record
        switch record {
        case .local, .central:
            let lengths = record == .local ? 26 : 28
            nameBytes.removeAll(keepingCapacity: true)
            extraBytes.removeAll(keepingCapacity: true)
            extraLength = Int(Self.littleEndian(header, at: lengths + 2, count: 2))
            phase = .name(remaining: Int(Self.littleEndian(header, at: lengths, count: 2)))
        case .end:
            endRecordRead()
        case .zip64End:
            skipThenSignature(Self.littleEndian(header, at: 4, count: 8))
        case .zip64Locator:
            skipThenSignature(0)
        case .digitalSignature:
            skipThenSignature(Self.littleEndian(header, at: 4, count: 2))
        case .archiveExtraData:
            skipThenSignature(Self.littleEndian(header, at: 4, count: 4))
        }
    }

    private mutating func skipThenSignature(_ count: UInt64) {
        header.removeAll(keepingCapacity: true)
        phase = count > 0 ? .skip(remaining: count, then: .signature) : .signature
    }

    /// Name and extra field of a local or central header have been read.
    private mutating func variablePartRead() {
        let fields = Self.extraFields(extraBytes)
        if record == .central {
            let flags = Self.littleEndian(header, at: 8, count: 2)
            note(central: true, encrypted: flags & 1 != 0 || fields[0x9901] != nil)
            centralHeaders += 1
            sawCentralDirectory = true
            skipThenSignature(Self.littleEndian(header, at: 32, count: 2))  // file comment
            return
        }

        let flags = Self.littleEndian(header, at: 6, count: 2)
        note(central: false, encrypted: flags & 1 != 0 || fields[0x9901] != nil)
        localHeaders += 1
        let size32 = Self.littleEndian(header, at: 18, count: 4)
        let original32 = Self.littleEndian(header, at: 22, count: 4)
        var compressedSize: UInt64? = size32
        memberIsZip64 = false
        if size32 == 0xFFFF_FFFF || original32 == 0xFFFF_FFFF {
            // ZIP64: the extra field holds the original size, then the compressed size (the fields
            // present are those whose 32-bit value is 0xFFFFFFFF; local headers should carry both).
            compressedSize = nil
            if let zip64 = fields[0x0001] {
                memberIsZip64 = true
                let offset = original32 == 0xFFFF_FFFF ? 8 : 0
                if size32 == 0xFFFF_FFFF, zip64.count >= offset + 8 {
                    compressedSize = Self.littleEndian(zip64, at: offset, count: 8)
                } else if size32 != 0xFFFF_FFFF {
                    compressedSize = size32
                }
            }
        }
        header.removeAll(keepingCapacity: true)

        let hasDescriptor = flags & 8 != 0
        switch compressedSize {
        case 0? where hasDescriptor:
            // Streamed member: its size is only in the descriptor after the data.
            startScan(member: true)
        case let size?:
            phase = size > 0 ? .skip(remaining: size, then: hasDescriptor ? .descriptor : .signature)
                : (hasDescriptor ? .descriptor : .signature)
        case nil:
            if hasDescriptor {
                startScan(member: true)
            } else {
                // Without a size the data cannot be skipped; look for the next header instead.
                malformed = true
                startScan(member: false)
            }
        }
    }

    private mutating func endRecordRead() {
        let declared = Int(Self.littleEndian(header, at: 10, count: 2))
        // 0xFFFF defers to the ZIP64 end record. A count that disagrees, or members without any
        // central directory, means an end record was found where it does not belong.
        if (declared != 0xFFFF && declared != centralHeaders) || (localHeaders > 0 && centralHeaders == 0) {
            malformed = true
        }
        header.removeAll(keepingCapacity: true)
        phase = .done
    }

    /// Records one sighting of a member; the local header and the central directory entry of the
    /// same member count once, so do their encryption flags.
    private mutating func note(central: Bool, encrypted: Bool) {
        let name = String(decoding: nameBytes, as: UTF8.self)
        if encrypted {
            if central { encryptedCentral += 1 } else { encryptedLocal += 1 }
            encryptedMembers = max(encryptedLocal, encryptedCentral)
        }
        var seen = sightings[name, default: Sightings()]
        if central { seen.central += 1 } else { seen.local += 1 }
        let isNew = central ? seen.central > seen.local : seen.local > seen.central
        if isNew && names.count >= max(0, limits.maxMembers) {
            if central { droppedCentral += 1 } else { droppedLocal += 1 }
            membersDropped = max(droppedLocal, droppedCentral)
            return
        }
        if isNew { names.append(name) }
        sightings[name] = seen
    }

    // MARK: - Scanning

    private mutating func startScan(member: Bool) {
        header.removeAll(keepingCapacity: true)
        (recent, middle, oldest, scanned) = (0, 0, 0, 0)
        phase = .scan(member: member)
    }

    private mutating func resynchronise(after word: UInt32) {
        malformed = true
        startScan(member: false)
        recent = UInt64(word) << 32
    }

    /// Advances byte by byte to the next local, central or end record signature; returns the index after it.
    private mutating func scan(_ bytes: UnsafeRawBufferPointer, from start: Int, member: Bool) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            scanned &+= 1
            oldest = (oldest >> 8) | (middle << 56)
            middle = (middle >> 8) | (recent << 56)
            recent = (recent >> 8) | (UInt64(byte) << 56)
            let word = UInt32(truncatingIfNeeded: recent >> 32)
            guard let record = Record(signature: word), record == .local || record == .central || record == .end else { continue }
            // Compressed data can contain "PK\x03\x04" by chance: after streamed data, trust a
            // signature only when the data descriptor just before it states the length scanned.
            if member && !descriptorPrecedesSignature() { continue }
            header = Self.bytes(of: word)
            phase = .fixed(record)
            break
        }
        return index
    }

    /// Whether the bytes before the signature just seen are a data descriptor (with or without its
    /// own signature, 32- or 64-bit sizes) whose compressed size equals the data scanned before it.
    private func descriptorPrecedesSignature() -> Bool {
        // Both layouts put the compressed size at the same distance before the next signature:
        // 32-bit at bytes -12..<-8, 64-bit at bytes -20..<-12.
        let size32 = middle >> 32
        let size64 = (oldest >> 32) | (middle << 32)
        let signature = UInt32(truncatingIfNeeded: oldest >> 32)
        if scanned >= 16 && size32 == (scanned - 16) & 0xFFFF_FFFF { return true }
        if scanned >= 20 && size32 == (scanned - 20) & 0xFFFF_FFFF && signature == Self.descriptorSignature { return true }
        if scanned >= 24 && size64 == scanned - 24 { return true }
        if scanned >= 28 && size64 == scanned - 28 { return true }
        return false
    }

    // MARK: - Bytes

    /// Extra-field records by header ID (the first of each), from the bytes kept.
    private static func extraFields(_ bytes: [UInt8]) -> [UInt16: ArraySlice<UInt8>] {
        var fields: [UInt16: ArraySlice<UInt8>] = [:]
        var index = 0
        while bytes.count - index >= 4 {
            let id = UInt16(littleEndian(bytes, at: index, count: 2))
            let size = Int(littleEndian(bytes, at: index + 2, count: 2))
            guard bytes.count - index - 4 >= size else { break }
            if fields[id] == nil { fields[id] = bytes[index + 4..<index + 4 + size] }
            index += 4 + size
        }
        return fields
    }

    private static func littleEndian<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int, count: Int) -> UInt64
    where Bytes.Index == Int {
        var value: UInt64 = 0
        for position in 0..<count {
            value |= UInt64(bytes[bytes.startIndex + offset + position]) << (8 * UInt64(position))
        }
        return value
    }

    private static func bytes(of word: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: word), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 24)]
    }
}
