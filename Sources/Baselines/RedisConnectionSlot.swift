import Synchronization

/// One Redis connection behind a lock, opened on first use; after a failed exchange it is
/// reopened by the next use, after a failed connect (or a run of failed exchanges) no
/// sooner than `reconnectDelay`.
final class RedisConnectionSlot: Sendable {
    private struct State {
        var connection: RedisConnection?
        var retryAfter: ContinuousClock.Instant?
        var failedExchanges = 0
    }

    /// Failed exchanges in a row after which a slot waits `reconnectDelay` too: a server
    /// that accepts but hangs would otherwise cost every lookup its whole budget.
    static let failuresBeforeDelay = 3

    private let settings: RedisSettings
    private let state = Mutex(State())

    init(settings: RedisSettings) {
        self.settings = settings
    }

    /// Runs `commands` before `deadline`: nil when the slot is busy and `waiting` is false.
    func exchange(_ commands: [[[UInt8]]], until deadline: ContinuousClock.Instant, waiting: Bool) -> Result<[RESPValue], RedisError>? {
        if waiting { return state.withLock { perform(commands, until: deadline, in: &$0) } }
        return state.withLockIfAvailable { perform(commands, until: deadline, in: &$0) }
    }

    private func perform(_ commands: [[[UInt8]]], until deadline: ContinuousClock.Instant, in state: inout State) -> Result<[RESPValue], RedisError> {
        let connection: RedisConnection
        if let open = state.connection, open.isOpen {
            connection = open
        } else {
            // Waiting out the delay is not a new failure: it must not push the retry back.
            if let retryAfter = state.retryAfter, ContinuousClock.now < retryAfter { return .failure(.closed) }
            do throws(RedisError) {
                connection = try RedisConnection(host: settings.host, port: settings.port, timeout: deadline - ContinuousClock.now, tls: settings.tls)
                try authenticate(connection, until: deadline)
            } catch {
                state.retryAfter = ContinuousClock.now + settings.reconnectDelay
                return .failure(error)
            }
            state.connection = connection
            state.retryAfter = nil
            // A TLS handshake may outlast a lookup's budget: nothing was sent yet, so the
            // connection is kept for the next lookup instead of thrown away with this one.
            guard ContinuousClock.now < deadline else { return .failure(.timedOut) }
        }
        do throws(RedisError) {
            let replies = try connection.exchange(commands, until: deadline)
            state.failedExchanges = 0
            return .success(replies)
        } catch {
            // The server was reachable a moment ago: one slow reply (a busy machine) should
            // cost one lookup, not a reconnect delay of fallbacks; a run of them should.
            state.connection = nil
            state.failedExchanges += 1
            if state.failedExchanges >= Self.failuresBeforeDelay {
                state.failedExchanges = 0
                state.retryAfter = ContinuousClock.now + settings.reconnectDelay
            }
            return .failure(error)
        }
    }

    /// AUTH on a new connection when a password is set; a refusal is a failed connect, so
    /// wrong credentials cost the inline path one attempt per reconnect delay.
    private func authenticate(_ connection: RedisConnection, until deadline: ContinuousClock.Instant) throws(RedisError) {
        guard !settings.password.isEmpty else { return }
        let user = settings.username.isEmpty ? [] : [Array(settings.username.utf8)]
        let reply = try connection.exchange([[Array("AUTH".utf8)] + user + [Array(settings.password.utf8)]], until: deadline)
        guard case .simple("OK")? = reply.first else {
            connection.close()
            if case .error(let message)? = reply.first { throw .server(message) }
            throw .malformedReply
        }
    }
}
