import Foundation

/// Files that must survive a crash: written under a temporary name, fsynced, renamed into
/// place, and the directory fsynced, so a reader sees the whole file or none of it.
enum DurableFile {
    static func write(_ bytes: [UInt8], to path: String) throws(SystemCallError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/.tmp-" + (path as NSString).lastPathComponent
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw .last("open \(temporary)") }
        do throws(SystemCallError) {
            try writeAll(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw SystemCallError.last("fsync \(temporary)") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = SystemCallError.last("rename \(temporary)")
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    static func syncDirectory(_ path: String) throws(SystemCallError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .last("open \(path)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .last("fsync \(path)") }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .last("write \(path)")
            }
            offset += written
        }
    }
}
