import Foundation

/// Where things are, and which external tools this machine has. Integration tests skip with
/// a message naming what is missing; CI installs everything (packaging/bootstrap.sh).
enum TestTools {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `gannet` binary SwiftPM built next to this test bundle.
    static let gannetBinary: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // The test binary lives inside gannetPackageTests.xctest on some layouts.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("gannet").path
    }()

    static func script(_ name: String) -> String {
        packageRoot.appendingPathComponent("packaging/\(name)").path
    }

    static func which(_ tool: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"] {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// Nil when everything is there, else what is missing (for the skip message).
    static func missing(_ tools: [String], needsRoot: Bool = false) -> String? {
        var missing = tools.filter { which($0) == nil }
        if !FileManager.default.isExecutableFile(atPath: gannetBinary) { missing.append("gannet binary at \(gannetBinary)") }
        if needsRoot, !isRoot { missing.append("root (the Postfix master starts only as root)") }
        return missing.isEmpty ? nil : "missing: " + missing.joined(separator: ", ") + " — run packaging/bootstrap.sh"
    }

    static let postfixAvailable = missing(["postfix", "postqueue", "postsuper", "swaks", "smtp-source"], needsRoot: true) == nil
    static let miltertestAvailable = missing(["miltertest"]) == nil

    /// A fresh directory under /tmp that Postfix's users can traverse; short, because Unix
    /// socket paths must fit in 108 bytes.
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = "/tmp/gannet-\(label)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return path
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls `condition` until it holds or `timeout` passes. Timing only bounds the wait;
    /// it never decides a result.
    static func waitUntil(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}
