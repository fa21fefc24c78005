/// A libmilter listening address: `unix:/path` (the recommended form; `local:` is a synonym)
/// or `inet:PORT@HOST`.
public enum MilterSocket: Sendable, Equatable, CustomStringConvertible {
    case unix(String)
    case inet(port: Int, host: String)

    /// sockaddr_un's sun_path holds 108 bytes including the terminator.
    static let maximumPathBytes = 107

    public init(parsing text: String, in section: ConfigSection, key: String) throws(ConfigError) {
        guard let socket = MilterSocket(parsing: text) else {
            throw section.invalid(key, "'\(text)' is not unix:/absolute/path (at most \(Self.maximumPathBytes) bytes) or inet:PORT@HOST")
        }
        self = socket
    }

    public init?(parsing text: String) {
        if let path = text.strippingPrefix("unix:") ?? text.strippingPrefix("local:") {
            guard path.hasPrefix("/"), path.utf8.count <= Self.maximumPathBytes else { return nil }
            self = .unix(path)
            return
        }
        if let rest = text.strippingPrefix("inet:") {
            // Empty parts kept, so "inet:" and "inet:25@" are refused rather than indexed past.
            let parts = rest.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            guard let port = Int(parts[0]), (1...65_535).contains(port) else { return nil }
            let host = parts.count > 1 ? String(parts[1]) : "127.0.0.1"
            guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
            self = .inet(port: port, host: host)
            return
        }
        return nil
    }

    /// The form libmilter's smfi_setconn takes.
    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .inet(let port, let host): "inet:\(port)@\(host)"
        }
    }

    public var unixPath: String? {
        if case .unix(let path) = self { path } else { nil }
    }
}

/// An IPv4 loopback address and port, for endpoints that must never face the network.
public struct LoopbackEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (0...65_535).contains(port) else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard octets.count == 4, octets[0] == 127 else { return nil }
        self.host = String(parts[0])
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}
