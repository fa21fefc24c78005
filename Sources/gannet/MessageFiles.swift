import Foundation
import Training

/// Finds and reads stored messages for the offline subcommands.
enum MessageFiles {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Files as given; directories expanded recursively into their regular files, sorted.
    /// A path that does not exist is kept so reading it reports the error for that path.
    static func expand(_ paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let root = URL(fileURLWithPath: path)
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            var found: [String] = []
            while let url = walker?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    found.append(url.path)
                }
            }
            files.append(contentsOf: found.sorted())
        }
        return files
    }

    /// The message in a file, without an mbox envelope line before it.
    static func read(_ path: String) -> Result<Data, ReadError> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(ReadError(description: "cannot open: \(String(cString: strerror(errno)))"))
        }
        defer { try? handle.close() }
        do {
            let stored = try handle.readToEnd() ?? Data()
            return .success(Data(CorpusReader.withoutEnvelopeLine([UInt8](stored))))
        } catch {
            return .failure(ReadError(description: "cannot read: \(error.localizedDescription)"))
        }
    }

    /// Runs `body` on every readable file under `paths`, printing `path: error: …` for the
    /// rest; `body` returns false for a message it could not handle. True when all succeeded.
    static func eachMessage(_ paths: [String], _ body: (String, Data) -> Bool) -> Bool {
        var failures = 0
        for path in expand(paths) {
            switch read(path) {
            case .failure(let error):
                failures += 1
                print("\(path): error: \(error)")
            case .success(let data):
                if !body(path, data) { failures += 1 }
            }
        }
        return failures == 0
    }
}
