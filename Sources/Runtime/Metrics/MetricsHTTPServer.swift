import Foundation
import Logging
import Synchronization

/// Serves `GET /metrics` on a loopback address on its own threads. Scrapes are rare and tiny,
/// but a client that connects and trickles (or never sends) must not stop Prometheus from
/// scraping: each connection is answered on a thread of its own, at most `maximumClients` at
/// once, within `requestDeadline` all told.
public final class MetricsHTTPServer: Sendable {
    private let listener: Int32
    private let metrics: GannetMetrics
    private let logger: Logger
    private let clients = Mutex(0)
    /// The port actually bound (differs from the configured one when that was 0).
    public let port: Int

    static let maximumClients = 8
    static let requestDeadline = Duration.seconds(2)

    public init(endpoint: LoopbackEndpoint, metrics: GannetMetrics, logger: Logger) throws(SystemCallError) {
        self.metrics = metrics
        self.logger = logger
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCallError.last("socket") }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(endpoint.port).bigEndian)
        inet_pton(AF_INET, endpoint.host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let error = SystemCallError.last("bind \(endpoint)")
            close(fd)
            throw error
        }
        guard listen(fd, 16) == 0 else {
            let error = SystemCallError.last("listen")
            close(fd)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    /// Starts the accept loop on a detached thread for the life of the process.
    public func start() {
        let thread = Thread { [self] in self.acceptLoop() }
        thread.name = "gannet-metrics"
        thread.start()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors or memory for now: the endpoint must come back when
                    // they are, not stop for the life of the process.
                    logger.warning("metrics endpoint cannot accept; retrying", metadata: ["error": "\(SystemCallError.last("accept"))"])
                    Thread.sleep(forTimeInterval: 0.2)
                    continue
                default:
                    logger.error("metrics endpoint stopped", metadata: ["error": "\(SystemCallError.last("accept"))"])
                    return
                }
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let admitted = clients.withLock { count in
                guard count < Self.maximumClients else { return false }
                count += 1
                return true
            }
            guard admitted else {
                close(client)
                continue
            }
            let thread = Thread { [self] in
                respond(on: client)
                close(client)
                clients.withLock { $0 -= 1 }
            }
            thread.name = "gannet-metrics-client"
            thread.start()
        }
    }

    private func respond(on client: Int32) {
        let deadline = ContinuousClock.now + Self.requestDeadline
        /// Sets the socket's timeouts to what is left of the deadline; false once none is.
        func timeLeft() -> Bool {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            let (seconds, attoseconds) = left.components
            var timeout = timeval(tv_sec: Int(seconds), tv_usec: min(999_999, Int(attoseconds / 1_000_000_000_000) + 1))
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return true
        }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while request.count < 8192, !request.containsHeaderEnd {
            guard timeLeft() else { return }
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { return }
            request.append(contentsOf: buffer[0..<count])
        }
        let requestLine = String(decoding: request.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        let response: String
        if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            let body = metrics.prometheusText()
            response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        } else {
            let body = "only GET /metrics is served here\n"
            response = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        }
        var bytes = Array(response.utf8)[...]
        while !bytes.isEmpty, timeLeft() {
            // MSG_NOSIGNAL: a scraper that hung up is an error here, not a SIGPIPE to the daemon.
            let written = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        count >= 4 && (0...(count - 4)).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
