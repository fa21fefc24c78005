import Foundation

/// A model file in either form: compact (`CompactModelFile`, what the package ships and the
/// daemon loads fastest) or JSON (readable and diffable). Readers take both, told apart by the
/// compact form's magic bytes; writers choose by the file name.
public enum ModelFile {
    public enum Form: String, Sendable {
        case json, compact
    }

    /// The conventional extension of the compact form.
    public static let compactExtension = "gmodel"

    /// `.gmodel` files are compact, everything else JSON.
    public static func form(forPath path: String) -> Form {
        path.hasSuffix(".\(compactExtension)") ? .compact : .json
    }

    /// The document in `bytes`, in whichever form they are; JSON decoding errors say where.
    public static func decode(_ bytes: [UInt8]) throws(ModelValidationError) -> ModelDocument {
        if CompactModelFile.isCompact(bytes) { return try CompactModelFile.decode(bytes) }
        do {
            return try JSONDecoder().decode(ModelDocument.self, from: Data(bytes))
        } catch {
            throw ModelValidationError("not a model file: \(describe(error))")
        }
    }

    /// JSON with sorted keys (the same document always gives the same bytes), or compact.
    public static func encode(_ document: ModelDocument, as form: Form) throws(ModelValidationError) -> [UInt8] {
        switch form {
        case .compact:
            return try CompactModelFile.encode(document)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do { return [UInt8](try encoder.encode(document)) } catch { throw ModelValidationError("cannot encode model: \(error)") }
        }
    }

    /// Writes atomically in the form the path's name asks for.
    public static func write(_ document: ModelDocument, to path: String) throws {
        try Data(encode(document, as: form(forPath: path))).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Far above any trained model (the default is 1.8 MB compact, 2.9 MB as JSON), so a wrong path
    /// or a damaged file cannot make the loader read and decode without bound.
    public static let maximumBytes = 256 << 20

    /// The file's bytes, refused unread when it is larger than `maximumBytes`.
    public static func read(_ path: String) throws -> [UInt8] {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        guard size <= maximumBytes else {
            throw ModelValidationError("model file is \(size) bytes; at most \(maximumBytes >> 20) MB is read")
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Reads, decodes and validates, as the daemon does.
    public static func load(_ path: String) throws -> CompiledModel {
        try CompiledModel(decode(read(path)))
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            return "\(error)"
        }
    }
}
