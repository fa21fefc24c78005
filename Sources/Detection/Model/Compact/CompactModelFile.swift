import Crypto
import MailParsing

/// The compact model file: the same content as the JSON form in a versioned little-endian
/// binary layout, read in milliseconds where JSON took most of a second. A fixed header
/// carries the layout version, the feature-schema digest and a SHA-256 of the payload; the
/// payload holds the numbers as flat arrays, 8-byte aligned, so the file could be mapped.
///
///     0  "GANNETMB"          8 bytes
///     8  layout version      u32
///    12  header size         u32 (72)
///    16  schema digest       16 ASCII bytes
///    32  payload length      u64
///    40  payload SHA-256     32 bytes
///    72  payload             (`CompactModelWriter`)
///
/// Decoding yields a `ModelDocument`, which `CompiledModel` validates exactly as it does JSON.
public enum CompactModelFile {
    public static let magic: [UInt8] = Array("GANNETMB".utf8)
    public static let layoutVersion: UInt32 = 1
    static let headerSize = 72
    /// A damaged length cannot make the reader allocate without bound.
    public static let maximumPayload = ModelFile.maximumBytes

    /// Whether `bytes` start like a compact model file (anything else is read as JSON).
    public static func isCompact(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: magic)
    }

    public static func encode(_ document: ModelDocument) throws(ModelValidationError) -> [UInt8] {
        var payload = CompactModelWriter()
        try payload.write(document)
        var header = ByteWriter()
        header.append(magic)
        header.append(layoutVersion)
        header.append(UInt32(headerSize))
        header.append(digestBytes(document.featureSchema))
        header.append(UInt64(payload.bytes.bytes.count))
        header.append(Array(SHA256.hash(data: payload.bytes.bytes)))
        return header.bytes + payload.bytes.bytes
    }

    /// The schema digest of a compact file's header, for showing a model without decoding it.
    public static func schemaDigest(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= headerSize, isCompact(bytes) else { return nil }
        return String(decoding: bytes[16..<32].prefix { $0 != 0 }, as: UTF8.self)
    }

    public static func decode(_ bytes: [UInt8]) throws(ModelValidationError) -> ModelDocument {
        guard isCompact(bytes) else { throw ModelValidationError("not a compact Gannet model (no GANNETMB header)") }
        guard bytes.count >= headerSize else { throw ModelValidationError("compact model header is cut short (\(bytes.count) bytes)") }
        var header = ByteReader(bytes[...], origin: 0)
        header.skip(magic.count)
        let version = try header.uint32()
        guard version == layoutVersion else {
            throw ModelValidationError("compact model layout version \(version); this Gannet reads version \(layoutVersion)")
        }
        guard try header.uint32() == UInt32(headerSize) else { throw ModelValidationError("compact model header size is not \(headerSize)") }
        header.skip(16)
        let length = try header.uint64()
        guard length <= UInt64(maximumPayload), Int(length) == bytes.count - headerSize else {
            throw ModelValidationError("compact model payload is \(bytes.count - headerSize) bytes, header says \(length)")
        }
        let checksum = try header.bytes(32)
        let payload = bytes[headerSize...]
        var hasher = SHA256()
        payload.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        guard Array(hasher.finalize()) == Array(checksum) else {
            throw ModelValidationError("compact model checksum does not match: the file is damaged")
        }
        var reader = CompactModelReader(ByteReader(payload, origin: headerSize))
        let document = try reader.readDocument()
        guard digestBytes(document.featureSchema) == Array(bytes[16..<32]) else {
            throw ModelValidationError("compact model header and payload name different feature schemas")
        }
        return document
    }

    /// A schema digest in its 16-byte header slot, zero-padded or cut.
    private static func digestBytes(_ digest: String) -> [UInt8] {
        let utf8 = Array(digest.utf8.prefix(16))
        return utf8 + [UInt8](repeating: 0, count: 16 - utf8.count)
    }
}
