import CTLS

/// One TLS client session over memory buffers: OpenSSL never touches the socket. The
/// connection sends what `takeOutput()` gives and `feed`s what it receives, so every wait
/// stays its deadline-bounded `poll`, and a write to a closed peer stays a `send` with
/// MSG_NOSIGNAL rather than OpenSSL's own `write`, whose SIGPIPE would end the daemon.
final class TLSSession {
    private let ssl: OpaquePointer
    private let incoming: OpaquePointer
    private let outgoing: OpaquePointer

    init(_ tls: RedisTLS, host: String) throws(RedisError) {
        guard let ssl = SSL_new(tls.context), let incoming = BIO_new(BIO_s_mem()), let outgoing = BIO_new(BIO_s_mem()) else {
            throw .tls(RedisTLS.lastError("cannot start a TLS session"))
        }
        // The session owns the buffers from here and frees them with itself.
        SSL_set_bio(ssl, incoming, outgoing)
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        if tls.files.serverName.isEmpty {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else { throw .tls(RedisTLS.lastError("cannot check the certificate for \(host)")) }
        } else {
            guard SSL_set1_host(ssl, tls.files.serverName) == 1, gannet_tls_set_server_name(ssl, tls.files.serverName) == 1 else {
                throw .tls(RedisTLS.lastError("cannot check the certificate for \(tls.files.serverName)"))
            }
        }
        SSL_set_connect_state(ssl)
    }

    deinit { SSL_free(ssl) }

    /// Takes the handshake a step: true once it is complete; false when it needs what the
    /// server sends next (send `takeOutput()` first).
    func handshake() throws(RedisError) -> Bool {
        let result = SSL_do_handshake(ssl)
        if result == 1 { return true }
        guard SSL_get_error(ssl, result) == SSL_ERROR_WANT_READ else {
            let verification = SSL_get_verify_result(ssl)
            let reason = verification == X509_V_OK ? "" : ": " + String(cString: X509_verify_cert_error_string(verification))
            throw .tls(RedisTLS.lastError("TLS handshake failed" + reason))
        }
        return false
    }

    /// Encrypts `plain` into the output.
    func encrypt(_ plain: [UInt8]) throws(RedisError) {
        var written = 0
        while written < plain.count {
            let count = plain[written...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32(min($0.count, Int(Int32.max)))) }
            guard count > 0 else { throw .tls(RedisTLS.lastError("TLS write failed")) }
            written += Int(count)
        }
    }

    /// Bytes to send to the server.
    func takeOutput() -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(outgoing))
        guard pending > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let count = bytes.withUnsafeMutableBytes { BIO_read(outgoing, $0.baseAddress, Int32(pending)) }
        return Array(bytes.prefix(max(Int(count), 0)))
    }

    /// Bytes received from the server.
    func feed(_ bytes: ArraySlice<UInt8>) {
        _ = bytes.withUnsafeBytes { BIO_write(incoming, $0.baseAddress, Int32($0.count)) }
    }

    /// Appends what can be decrypted of the input to `plain`: true if anything was, false
    /// when more input is needed. A server that closed the session is `.closed`.
    func decrypt(into plain: inout [UInt8]) throws(RedisError) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var any = false
        while true {
            let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 {
                plain += buffer[..<Int(count)]
                any = true
                continue
            }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ: return any
            case SSL_ERROR_ZERO_RETURN: throw .closed
            default: throw .tls(RedisTLS.lastError("TLS read failed"))
            }
        }
    }
}
