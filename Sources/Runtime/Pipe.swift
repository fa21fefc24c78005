import Foundation

/// A close-on-exec pipe (pipe2 is a GNU extension Swift's Glibc module does not export).
struct Pipe {
    let readEnd: Int32
    let writeEnd: Int32

    init(nonBlocking: Bool) throws(SystemCallError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .last("pipe") }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }
}
