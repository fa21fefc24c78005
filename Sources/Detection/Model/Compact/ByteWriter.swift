/// Little-endian serialisation for the compact model file.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func append(_ value: Int32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func append(_ value: Double) { append(value.bitPattern) }
    mutating func append(_ flag: Bool) { append(flag ? 1 as UInt8 : 0) }

    /// Length-prefixed UTF-8.
    mutating func append(_ text: String) {
        append(UInt32(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    /// Zero bytes up to a multiple of 8 (payload offsets count from the payload's start, which
    /// the header keeps 8-aligned), so an array of doubles that follows is aligned.
    mutating func alignTo8() {
        while bytes.count % 8 != 0 { bytes.append(0) }
    }
}

/// Bounds-checked little-endian reading: every count is checked against the bytes left before
/// anything is allocated, so a damaged file fails with where it broke.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int
    /// File offset of `bytes.startIndex`, for error messages.
    private let origin: Int

    init(_ bytes: ArraySlice<UInt8>, origin: Int) {
        self.bytes = bytes
        self.position = bytes.startIndex
        self.origin = origin
    }

    var atEnd: Bool { position == bytes.endIndex }
    var remaining: Int { bytes.endIndex - position }
    private var offset: Int { position - bytes.startIndex }

    func failure(_ what: String) -> ModelValidationError {
        ModelValidationError("compact model: \(what) at byte \(origin + offset)")
    }

    mutating func skip(_ count: Int) { position = min(bytes.endIndex, position + count) }

    mutating func bytes(_ count: Int) throws(ModelValidationError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw failure("cut short") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func fixedWidth<Value: FixedWidthInteger>(_: Value.Type) throws(ModelValidationError) -> Value {
        let raw = try bytes(MemoryLayout<Value>.size)
        var value = Value.zero
        for (shift, byte) in raw.enumerated() { value |= Value(byte) << (8 * shift) }
        return value
    }

    mutating func uint8() throws(ModelValidationError) -> UInt8 { try fixedWidth(UInt8.self) }
    mutating func uint32() throws(ModelValidationError) -> UInt32 { try fixedWidth(UInt32.self) }
    mutating func int32() throws(ModelValidationError) -> Int32 { try fixedWidth(Int32.self) }
    mutating func uint64() throws(ModelValidationError) -> UInt64 { try fixedWidth(UInt64.self) }
    mutating func double() throws(ModelValidationError) -> Double { Double(bitPattern: try uint64()) }

    mutating func flag() throws(ModelValidationError) -> Bool {
        switch try uint8() {
        case 0: return false
        case 1: return true
        case let other: throw failure("flag byte \(other)")
        }
    }

    mutating func string() throws(ModelValidationError) -> String {
        let count = Int(try uint32())
        let raw = try bytes(count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw failure("text that is not UTF-8") }
        return text
    }

    /// A count of items of `width` bytes each that must fit in what is left.
    mutating func count(of width: Int) throws(ModelValidationError) -> Int {
        let count = Int(try uint32())
        guard count <= remaining / max(1, width) else { throw failure("\(count) items do not fit in the \(remaining) bytes left") }
        return count
    }

    mutating func alignTo8() { while offset % 8 != 0, !atEnd { position += 1 } }

    /// `count` consecutive little-endian doubles, read in one pass.
    mutating func doubles(_ count: Int) throws(ModelValidationError) -> [Double] {
        let raw = try bytes(count * 8)
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialised in
            raw.withUnsafeBytes { source in
                for index in 0..<count {
                    buffer[index] = Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
                }
            }
            initialised = count
        }
    }

    /// `count` consecutive little-endian 32-bit signed integers.
    mutating func int32s(_ count: Int) throws(ModelValidationError) -> [Int32] {
        let raw = try bytes(count * 4)
        return [Int32](unsafeUninitializedCapacity: count) { buffer, initialised in
            raw.withUnsafeBytes { source in
                for index in 0..<count {
                    buffer[index] = Int32(littleEndian: source.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
                }
            }
            initialised = count
        }
    }
}
