import Detection
import Foundation

/// Puts a model file in service path atomically (temp file, fsync, rename), keeping the one it
/// replaces beside it as `<path>.previous` for a rollback.
public enum ModelInstaller {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func install(_ candidate: String, at path: String) throws {
        let data: Data
        do { data = try inForm(of: path, Data(contentsOf: URL(fileURLWithPath: candidate))) } catch { throw Failure(description: "cannot read \(candidate): \(error)") }
        let temporary = path + ".incoming"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { throw Failure(description: "cannot write \(temporary)") }
        try sync(temporary)
        if FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.removeItem(atPath: path + ".previous")
            guard link(path, path + ".previous") == 0 else { throw Failure(description: "cannot keep \(path).previous: \(String(cString: strerror(errno)))") }
        }
        guard rename(temporary, path) == 0 else { throw Failure(description: "cannot rename \(temporary): \(String(cString: strerror(errno)))") }
        try sync(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// The candidate's bytes in the form the service path's name asks for (`ModelFile.form`):
    /// a JSON candidate installed as a `.gmodel` file is converted, and the other way round.
    private static func inForm(of path: String, _ data: Data) throws -> Data {
        let form = ModelFile.form(forPath: path)
        guard (form == .compact) != CompactModelFile.isCompact(data) else { return data }
        return Data(try ModelFile.encode(ModelFile.decode([UInt8](data)), as: form))
    }

    /// Puts `<path>.previous` back in service.
    public static func rollback(at path: String) throws {
        guard FileManager.default.fileExists(atPath: path + ".previous") else { throw Failure(description: "no \(path).previous to roll back to") }
        guard rename(path + ".previous", path) == 0 else { throw Failure(description: "cannot restore \(path).previous: \(String(cString: strerror(errno)))") }
        try sync(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    private static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path) to sync") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(description: "fsync \(path): \(String(cString: strerror(errno)))") }
    }
}
