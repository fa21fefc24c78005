/// Reads a fuzzer's bytes as a script: small numbers and length-prefixed byte strings, so
/// libFuzzer's mutations change which steps run, in what order and with what data.
struct FuzzInput {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isEmpty: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// Up to 255 bytes (or, after a 255 length byte, up to 64 KiB).
    mutating func data() -> [UInt8] {
        var length = Int(byte())
        if length == 255 { length = Int(byte()) << 8 | Int(byte()) }
        let end = min(bytes.count, index + length)
        defer { index = end }
        return Array(bytes[index..<end])
    }

    mutating func text() -> String {
        String(decoding: data(), as: UTF8.self)
    }
}
