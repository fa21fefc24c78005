import Synchronization

/// One Redis connection behind a lock, opened on first use and reopened after a failure
/// no sooner than `reconnectDelay`.
final class RedisConnectionSlot: Sendable {
    private struct State {
        var connection: RedisConnection?
        var retryAfter: ContinuousClock.Instant?
    }

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
                connection = try RedisConnection(host: settings.host, port: settings.port, timeout: deadline - ContinuousClock.now)
            } catch {
                state.retryAfter = ContinuousClock.now + settings.reconnectDelay
                return .failure(error)
            }
            state.connection = connection
            state.retryAfter = nil
        }
        do throws(RedisError) {
            return .success(try connection.exchange(commands, until: deadline))
        } catch {
            state.connection = nil
            state.retryAfter = ContinuousClock.now + settings.reconnectDelay
            return .failure(error)
        }
    }
}
