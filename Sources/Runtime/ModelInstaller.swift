import Detection
import Foundation

/// Puts a model file in service path atomically (`DurableFile`), keeping the one it replaces
/// beside it as `<path>.previous` for a rollback. `gannet deploy` may run as root in a
/// directory the daemon's user owns, so the new file is written the way `DurableFile` writes
/// there (no name to plant a link at) and given to the directory's owner and group, whom the
/// daemon reads it as.
public enum ModelInstaller {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func install(_ candidate: String, at path: String) throws {
        let data: Data
        do { data = try inForm(of: path, Data(contentsOf: URL(fileURLWithPath: candidate))) } catch { throw Failure(description: "cannot read \(candidate): \(error)") }
        var status = stat()
        if lstat(path, &status) == 0 {
            unlink(path + ".previous")
            guard link(path, path + ".previous") == 0 else { throw Failure(description: "cannot keep \(path).previous: \(String(cString: strerror(errno)))") }
        }
        do {
            try DurableFile.write([UInt8](data), to: path, ownedLikeDirectory: true)
        } catch {
            throw Failure(description: "cannot install \(path): \(error)")
        }
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
        var status = stat()
        guard lstat(path + ".previous", &status) == 0 else { throw Failure(description: "no \(path).previous to roll back to") }
        guard rename(path + ".previous", path) == 0 else { throw Failure(description: "cannot restore \(path).previous: \(String(cString: strerror(errno)))") }
        do {
            try DurableFile.syncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } catch {
            throw Failure(description: "\(error)")
        }
    }
}
