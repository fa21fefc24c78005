import Foundation
import Logging
import Runtime
import Testing

/// The metrics endpoint against clients that misbehave, over real loopback sockets.
@Suite struct MetricsEndpointTests {
    func connected(to port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(fd >= 0 && result == 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Everything the server sends until it closes (or 5 s pass).
    func readAll(_ fd: Int32) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func aClientThatStopsMidRequestHoldsUpNoScrapeAndIsCutOff() throws {
        let server = try MetricsHTTPServer(endpoint: try #require(LoopbackEndpoint(parsing: "127.0.0.1:0")), metrics: GannetMetrics(), logger: Logger(label: "test"))
        server.start()
        let stalled = try connected(to: server.port)
        defer { close(stalled) }
        _ = "GET /met".withCString { write(stalled, $0, 8) }

        let started = ContinuousClock.now
        let scrape = try connected(to: server.port)
        defer { close(scrape) }
        _ = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".withCString { write(scrape, $0, strlen($0)) }
        let response = readAll(scrape)
        #expect(response.hasPrefix("HTTP/1.1 200 OK"), "\(response.prefix(80))")
        #expect(response.contains("gannet_sessions_open"))
        #expect(ContinuousClock.now - started < .seconds(1), "the scrape waited for the stalled client")

        // The stalled client is closed once its deadline passes, well before its own timeout.
        #expect(readAll(stalled).isEmpty)
        #expect(ContinuousClock.now - started < .seconds(4))
    }
}
