#if canImport(Glibc)
import Glibc
#endif

/// Why a canary could not be handed to the MTA.
public enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// Nothing listens (yet): the MTA may still be starting.
    case unreachable(errno: Int32)
    case timedOut
    case closed
    /// The MTA answered a command with an error: the reply line.
    case refused(String)

    /// Worth trying again shortly: nothing listens yet, or a 4xx reply.
    var isTemporary: Bool {
        switch self {
        case .unreachable: true
        case .refused(let reply): reply.hasPrefix("4")
        case .timedOut, .closed: false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let code): "unreachable: \(String(cString: strerror(code)))"
        case .timedOut: "timed out"
        case .closed: "connection closed"
        case .refused(let reply): "refused: \(reply)"
        }
    }
}

/// One SMTP transaction with an MTA: the few commands that hand it a message. Blocking, with
/// every read and write bounded by `stepTimeout`, on the self-test's own thread.
struct SMTPClient {
    let endpoint: SMTPEndpoint
    let stepTimeout: Duration

    /// Sends `message` (header and body, CRLF lines, no line a lone dot) and returns the
    /// final reply's text, which names Postfix's queue id.
    func send(helo: String, from sender: String, to recipient: String, message: [UInt8]) throws(SMTPError) -> String {
        let connection = try SMTPConnection(endpoint: endpoint, timeout: stepTimeout)
        defer { connection.close() }
        try connection.expect(220)
        try connection.command("EHLO \(helo)", expect: 250)
        try connection.command("MAIL FROM:<\(sender)>", expect: 250)
        try connection.command("RCPT TO:<\(recipient)>", expect: 250)
        try connection.command("DATA", expect: 354)
        try connection.write(message + Array("\r\n.\r\n".utf8))
        let queued = try connection.expect(250)
        _ = try? connection.command("QUIT", expect: 221)
        return queued
    }

    /// Postfix's queue id in its reply to DATA, `250 2.0.0 Ok: queued as 4XyZ12abc`.
    static func queueID(inReply reply: String) -> String? {
        guard let range = reply.range(of: "queued as ") else { return nil }
        let id = reply[range.upperBound...].prefix { $0.isLetter || $0.isNumber }
        return id.isEmpty ? nil : String(id)
    }
}

/// A TCP connection to the MTA, closed by `close`.
private final class SMTPConnection {
    private let descriptor: Int32
    private var received: [UInt8] = []

    init(endpoint: SMTPEndpoint, timeout: Duration) throws(SMTPError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = endpoint.port.bigEndian
        guard inet_pton(AF_INET, endpoint.host, &address.sin_addr) == 1 else { throw .unreachable(errno: EINVAL) }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .unreachable(errno: errno) }
        self.descriptor = descriptor
        // On Linux the send timeout also bounds connect.
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let error = errno
            Glibc.close(descriptor)
            throw error == EINPROGRESS || error == EAGAIN ? .timedOut : .unreachable(errno: error)
        }
    }

    func close() {
        Glibc.close(descriptor)
    }

    func write(_ bytes: [UInt8]) throws(SMTPError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                throw count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? .timedOut : .closed
            }
        }
    }

    @discardableResult
    func command(_ line: String, expect code: Int) throws(SMTPError) -> String {
        try write(Array((line + "\r\n").utf8))
        return try expect(code)
    }

    /// Reads one reply, continuation lines and all; returns its last line unless its code is
    /// not `code`.
    @discardableResult
    func expect(_ code: Int) throws(SMTPError) -> String {
        while true {
            let line = try readLine()
            let text = String(decoding: line, as: UTF8.self)
            // "250-…" continues the reply; "250 …" (or a bare code) ends it.
            if line.count > 3, line[3] == UInt8(ascii: "-") { continue }
            guard line.count >= 3, Int(String(decoding: line.prefix(3), as: UTF8.self)) == code else { throw .refused(text) }
            return text
        }
    }

    /// SMTP replies are short; a line longer than 4,096 bytes is cut there.
    private func readLine() throws(SMTPError) -> [UInt8] {
        while true {
            if let end = received.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(received[..<end])
                received.removeFirst(end + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            if received.count > 4_096 {
                defer { received.removeAll() }
                return Array(received.prefix(4_096))
            }
            var buffer = [UInt8](repeating: 0, count: 1_024)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[..<count]
            } else if count == 0 {
                throw .closed
            } else if errno != EINTR {
                throw errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .closed
            }
        }
    }
}
