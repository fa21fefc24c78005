/// An SMTP service's IPv4 address and port, `HOST:PORT`.
public struct SMTPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]), port > 0 else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return nil }
        self.init(host: String(parts[0]), port: port)
    }

    public var description: String { "\(host):\(port)" }

    /// `user@domain` with nothing an SMTP command line or header could be broken by.
    static func isPlainAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && text.utf8.allSatisfy { $0 > 32 && $0 < 127 && !"<>()[],;:\\\"".utf8.contains($0) }
    }
}
