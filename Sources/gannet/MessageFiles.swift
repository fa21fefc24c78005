import Foundation
import Glibc
import Synchronization
import Training

/// Finds and reads stored messages for the offline subcommands.
enum MessageFiles {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Files as given; directories expanded recursively into their regular files, sorted.
    /// A path that does not exist is kept so reading it reports the error for that path.
    static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
            var found: [String] = []
            regularFiles(under: path, into: &found)
            return found.sorted()
        }
    }

    /// readdir's entry types, with a stat only where the file system gives none: Foundation's
    /// per-file resource lookups cost more than scoring a small message.
    private static func regularFiles(under directory: String, into found: inout [String]) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != ".." else { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                var status = stat()
                guard stat(path, &status) == 0 else { continue }
                type = (status.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : (status.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : Int32(DT_UNKNOWN)
            }
            if type == Int32(DT_DIR) {
                regularFiles(under: path, into: &found)
            } else if type == Int32(DT_REG) {
                found.append(path)
            }
        }
    }

    /// The message in a file, without an mbox envelope line before it. Read with one `read`
    /// into an array of the file's size: FileHandle's Data and its copy cost as much as cutting
    /// the message into fields.
    static func read(_ path: String) -> Result<[UInt8], ReadError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadError(description: "cannot open: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(ReadError(description: "cannot read: \(String(cString: strerror(errno)))")) }
        // One byte more than the size, so a file read whole meets its end in the first read;
        // the size is only a hint (the file may be growing), so the buffer grows when full.
        // Uninitialised: zeroing a buffer that read() fills costs as much as a short message's parse.
        var capacity = max(0, Int(status.st_size)) + 1
        var bytes: [UInt8] = []
        while true {
            var failure: Int32?
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, filled in
                filled = bytes.count
                _ = UnsafeMutableBufferPointer(rebasing: buffer[..<filled]).initialize(fromContentsOf: bytes)
                while filled < buffer.count {
                    let got = Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                    if got == 0 { return }
                    if got < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    filled += got
                }
            }
            if let failure { return .failure(ReadError(description: "cannot read: \(String(cString: strerror(failure)))")) }
            // Short of the capacity: the file ended. Full: it grew, so read on into a bigger buffer.
            if bytes.count < capacity { break }
            capacity *= 2
        }
        return .success(CorpusReader.withoutEnvelopeLine(bytes))
    }

    /// Runs `describe` on every readable file under `paths` with `jobs` workers and prints
    /// the text it returns in file order, and `unreadable`'s text for files that cannot be
    /// read. True when every file was read and `describe` handled it.
    static func eachMessage(_ paths: [String], jobs: Int, unreadable: @escaping @Sendable (String, ReadError) -> String = { "\($0): error: \($1)" },
                            _ describe: @escaping @Sendable (String, [UInt8]) -> (text: String, handled: Bool)) -> Bool {
        let failures = Atomic<Int>(0)
        OrderedParallelWork.run(expand(paths), jobs: jobs) { path in
            switch read(path) {
            case .failure(let error): return (text: unreadable(path, error), handled: false)
            case .success(let bytes): return describe(path, bytes)
            }
        } deliver: { result in
            if !result.handled { failures.add(1, ordering: .relaxed) }
            print(result.text)
        }
        return failures.load(ordering: .relaxed) == 0
    }
}
