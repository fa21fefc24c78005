import Foundation

/// A throwaway certificate authority with a certificate for a Redis server on 127.0.0.1
/// (also named redis.gannet.test) and one for a client, made with the openssl tool.
struct TestCertificates {
    static var missing: String? {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") ? nil : "openssl missing — run packaging/bootstrap.sh"
    }

    let directory: String
    var caFile: String { "\(directory)/ca.crt" }
    var serverCertificate: String { "\(directory)/server.crt" }
    var serverKey: String { "\(directory)/server.key" }
    var clientCertificate: String { "\(directory)/client.crt" }
    var clientKey: String { "\(directory)/client.key" }

    /// `name` tells two authorities apart.
    init(name: String = "ca") throws {
        directory = NSTemporaryDirectory() + "gannet-tls-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + key + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Gannet test \(name)"])
        try "subjectAltName=IP:127.0.0.1,DNS:redis.gannet.test\n".write(toFile: "\(directory)/server.ext", atomically: true, encoding: .utf8)
        for (party, extensions) in [("server", ["-extfile", "server.ext"]), ("client", [])] {
            try openssl(["req"] + key + ["-keyout", "\(party).key", "-out", "\(party).csr", "-subj", "/CN=\(party)"])
            try openssl(["x509", "-req", "-in", "\(party).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "\(party).crt", "-days", "2"] + extensions)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")) failed"]) }
    }
}
