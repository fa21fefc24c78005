#if canImport(Glibc)
import Glibc
#endif

/// Why a Redis exchange failed.
public enum RedisError: Error, Equatable, CustomStringConvertible {
    case unreachable(errno: Int32)
    case timedOut
    case closed
    case malformedReply
    case server(String)
    /// TLS could not be set up or failed: a bad file, a certificate that does not verify.
    case tls(String)

    public var description: String {
        switch self {
        case .unreachable(let code): "unreachable: \(String(cString: strerror(code)))"
        case .timedOut: "timed out"
        case .closed: "connection closed"
        case .malformedReply: "malformed reply"
        case .server(let message): "server: \(message)"
        case .tls(let message): message
        }
    }
}

/// One TCP connection to Redis (IPv4 loopback or LAN), TLS if configured, where every
/// exchange has a deadline: the socket is non-blocking and every wait is a `poll` bounded by
/// what is left of it. After any failure the connection is unusable (a reply may still be in
/// flight) and is closed.
final class RedisConnection {
    private var descriptor: Int32
    private var received: [UInt8] = []
    private var session: TLSSession?

    /// Connects to `host` (a dotted IPv4 address) and `port`, and completes the TLS handshake
    /// when `tls` is given, within `timeout`.
    init(host: String, port: UInt16, timeout: Duration, tls: RedisTLS? = nil) throws(RedisError) {
        let deadline = ContinuousClock.now + timeout
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw .unreachable(errno: EINVAL) }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .unreachable(errno: errno) }
        self.descriptor = descriptor
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let error = errno
            guard error == EINPROGRESS else {
                close()
                throw .unreachable(errno: error)
            }
            do throws(RedisError) { try wait(for: Int16(POLLOUT), until: deadline) } catch {
                close()
                throw error
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
            guard socketError == 0 else {
                close()
                throw .unreachable(errno: socketError)
            }
        }
        guard let tls else { return }
        // A handshake is mostly public-key arithmetic, about 2 ms: more than an inline lookup's
        // budget, which would then never connect. The server is up, so it gets its own bound;
        // a connection lasts, so one lookup per connection pays for it.
        let handshakeDeadline = max(deadline, ContinuousClock.now + Self.handshakeTimeout)
        do throws(RedisError) {
            let session = try TLSSession(tls, host: host)
            while try !session.handshake() {
                try sendRaw(session.takeOutput(), until: handshakeDeadline)
                try session.feed(receiveRaw(until: handshakeDeadline))
            }
            try sendRaw(session.takeOutput(), until: handshakeDeadline)
            self.session = session
        } catch {
            close()
            throw error
        }
    }

    /// How long a TLS handshake may take once the TCP connection is up.
    static let handshakeTimeout: Duration = .milliseconds(50)

    deinit {
        close()
    }

    var isOpen: Bool { descriptor >= 0 }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        session = nil
    }

    /// Sends the commands at once and reads one reply per command before `deadline`.
    func exchange(_ commands: [[[UInt8]]], until deadline: ContinuousClock.Instant) throws(RedisError) -> [RESPValue] {
        guard isOpen else { throw .closed }
        do throws(RedisError) {
            try send(commands.flatMap { RESPValue.command($0) }, until: deadline)
            var replies: [RESPValue] = []
            var offset = 0
            while replies.count < commands.count {
                let parsed: (RESPValue, Int)?
                do { parsed = try RESPValue.parse(received, from: offset) } catch { throw RedisError.malformedReply }
                if let (reply, next) = parsed {
                    replies.append(reply)
                    offset = next
                } else {
                    try receive(until: deadline)
                }
            }
            received.removeFirst(offset)
            return replies
        } catch {
            close()
            throw error
        }
    }

    private func send(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(RedisError) {
        guard let session else { return try sendRaw(bytes, until: deadline) }
        try session.encrypt(bytes)
        try sendRaw(session.takeOutput(), until: deadline)
    }

    /// Appends at least one byte of reply to `received`.
    private func receive(until deadline: ContinuousClock.Instant) throws(RedisError) {
        guard let session else { return received += try receiveRaw(until: deadline) }
        while try !session.decrypt(into: &received) {
            // TLS 1.3 may have something to say first (a key update's answer).
            try sendRaw(session.takeOutput(), until: deadline)
            try session.feed(receiveRaw(until: deadline))
        }
    }

    private func sendRaw(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(RedisError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
            } else if count < 0, errno == EAGAIN || errno == EINTR {
                try wait(for: Int16(POLLOUT), until: deadline)
            } else {
                throw .closed
            }
        }
    }

    private func receiveRaw(until deadline: ContinuousClock.Instant) throws(RedisError) -> ArraySlice<UInt8> {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { return buffer[..<count] }
            if count == 0 { throw .closed }
            guard errno == EAGAIN || errno == EINTR else { throw .closed }
            try wait(for: Int16(POLLIN), until: deadline)
        }
    }

    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(RedisError) {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw .timedOut }
            // poll counts whole milliseconds; round up so a sub-millisecond budget still waits.
            let milliseconds = Int32(min(left.components.seconds * 1000 + (left.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000, 60_000))
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw .closed }
        }
    }
}
