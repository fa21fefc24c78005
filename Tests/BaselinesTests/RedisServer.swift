import Foundation

/// A private redis-server on a free loopback port, stopped (by its own pid) when released.
final class RedisServer {
    static let binary = "/usr/bin/redis-server"
    static let client = "/usr/bin/redis-cli"
    static var missing: String? {
        [binary, client].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } ? nil : "redis-server or redis-cli missing — run packaging/bootstrap.sh"
    }

    let port: UInt16
    /// The TLS port, when started with certificates; `port` stays plain for redis-cli.
    let tlsPort: UInt16?
    private let process = Process()

    /// Starts on `port`, or on a free one; with `tls`, also on a TLS port that asks clients
    /// for a certificate signed by the same authority.
    init(port: UInt16? = nil, tls: TestCertificates? = nil) throws {
        self.port = port ?? Self.freePort()
        tlsPort = tls.map { _ in Self.freePort() }
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--port", "\(self.port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]
        if let tls, let tlsPort {
            process.arguments! += ["--tls-port", "\(tlsPort)", "--tls-cert-file", tls.serverCertificate, "--tls-key-file", tls.serverKey, "--tls-ca-cert-file", tls.caFile]
        }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while (try? cli(["PING"])) != "PONG" {
            guard Date() < deadline, process.isRunning else { throw CocoaError(.executableLoad) }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    deinit {
        stop()
    }

    /// SIGKILL: the server inherits the test runner's signal mask, where SIGTERM is blocked.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs redis-cli against this server; its output without the final newline.
    @discardableResult
    func cli(_ arguments: [String]) throws -> String {
        let cli = Process()
        cli.executableURL = URL(fileURLWithPath: Self.client)
        cli.arguments = ["-p", "\(port)"] + arguments
        let output = Pipe()
        cli.standardOutput = output
        cli.standardError = FileHandle.nullDevice
        try cli.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        cli.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> UInt16 {
        let listener = LoopbackListener()
        return listener.port
    }
}

/// A socket listening on a free loopback port that never accepts nor answers: connections
/// complete (the kernel queues them) and then hear nothing, like a hung server.
final class LoopbackListener {
    let port: UInt16
    private let descriptor: Int32

    init() {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(descriptor, 16)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
