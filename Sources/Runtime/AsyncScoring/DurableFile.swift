import Foundation

/// Files that must survive a crash: written under a temporary name, fsynced, renamed into
/// place, and the directory fsynced, so a reader sees the whole file or none of it.
///
/// Root tools write into directories the daemon's user owns, so nothing here follows a link
/// someone could plant: the temporary name is unpredictable and created exclusively without
/// following symlinks, ownership is changed on the open descriptor, and rename replaces
/// whatever sits at the final name rather than writing through it.
enum DurableFile {
    /// `ownedLikeDirectory`: hand the file to the directory's owner and group (a root tool
    /// leaving a file for the daemon to read and remove).
    static func write(_ bytes: [UInt8], to path: String, ownedLikeDirectory: Bool = false) throws(SystemCallError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/.tmp-" + (path as NSString).lastPathComponent + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw .last("open \(temporary)") }
        do throws(SystemCallError) {
            if ownedLikeDirectory {
                var owner = stat()
                guard stat(directory, &owner) == 0 else { throw SystemCallError.last("stat \(directory)") }
                guard fchown(fd, owner.st_uid, owner.st_gid) == 0 else { throw SystemCallError.last("fchown \(temporary)") }
            }
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

    /// Opens a log for appending, creating it if need be, refusing a symlink in its place.
    static func openForAppending(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640)
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
