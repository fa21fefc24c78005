import CTLS

/// TLS to Redis (OpenSSL): the client context, made once from the configured files and shared
/// by every connection. Redis's own TLS asks for a client certificate by default
/// (`tls-auth-clients yes`), so one can be given; the server's certificate is always verified,
/// against `caFile` (or the system's authorities) and for `serverName` (or the host's address).
public final class RedisTLS: Sendable, Equatable {
    public struct Files: Sendable, Equatable {
        /// PEM authorities that sign Redis's certificate; "" uses the system's.
        public var caFile = ""
        /// PEM client certificate (chain) and its key; both or neither.
        public var certificateFile = ""
        public var keyFile = ""
        /// Name Redis's certificate must carry; "" checks the host's IP address instead.
        public var serverName = ""

        public init() {}
    }

    public let files: Files
    /// `SSL_CTX`, not changed after init; OpenSSL makes sessions from it on any thread.
    nonisolated(unsafe) let context: OpaquePointer

    public init(_ files: Files) throws(RedisError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .tls(Self.lastError("cannot make a TLS context")) }
        self.context = context
        self.files = files
        guard gannet_tls_require_tls12(context) == 1 else { throw .tls(Self.lastError("cannot require TLS 1.2")) }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        let authorities = files.caFile.isEmpty ? SSL_CTX_set_default_verify_paths(context) : SSL_CTX_load_verify_locations(context, files.caFile, nil)
        guard authorities == 1 else { throw .tls(Self.lastError("cannot load the authorities \(files.caFile.isEmpty ? "of the system" : "in \(files.caFile)")")) }
        guard files.certificateFile.isEmpty == files.keyFile.isEmpty else { throw .tls("a client certificate needs its key, and a key its certificate") }
        if !files.certificateFile.isEmpty {
            guard SSL_CTX_use_certificate_chain_file(context, files.certificateFile) == 1 else { throw .tls(Self.lastError("cannot load the certificate \(files.certificateFile)")) }
            guard SSL_CTX_use_PrivateKey_file(context, files.keyFile, SSL_FILETYPE_PEM) == 1 else { throw .tls(Self.lastError("cannot load the key \(files.keyFile)")) }
            guard SSL_CTX_check_private_key(context) == 1 else { throw .tls(Self.lastError("\(files.keyFile) is not the key of \(files.certificateFile)")) }
        }
    }

    deinit { SSL_CTX_free(context) }

    public static func == (left: RedisTLS, right: RedisTLS) -> Bool { left.files == right.files }

    /// `what`, and OpenSSL's reason for the last failure on this thread (its queue emptied).
    static func lastError(_ what: String) -> String {
        var reason = ""
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return reason.isEmpty ? what : "\(what): \(reason)"
    }
}
