/// Where the shared baselines live and how long Gannet may wait for them.
public struct RedisSettings: Sendable, Equatable, CustomStringConvertible {
    /// Dotted IPv4 address of the Redis server.
    public var host = "127.0.0.1"
    public var port: UInt16 = 6379
    /// Redis ACL user and password, sent with AUTH on every new connection; no AUTH when the
    /// password is empty. An empty user with a password is Redis's `requirepass` (the default user).
    public var username = ""
    public var password = ""
    /// TLS to Redis; nil speaks plain TCP.
    public var tls: RedisTLS?
    /// Prefix of every key Gannet writes, so a Redis can be shared with other uses.
    public var keyPrefix = "gannet:baselines:"
    /// Budget of the inline lookup's round trip, connecting included; past it the local
    /// cache answers and the signals say so.
    public var lookupTimeout: Duration = .milliseconds(2)
    /// Budget of one lesson (read, compute, conditional write), off the inline path.
    public var learnTimeout: Duration = .seconds(1)
    /// Connections for concurrent inline lookups; a lookup finding all busy uses the cache.
    public var lookupConnections = 4
    /// After a failed connect, how long a connection waits before trying again, so an
    /// unreachable Redis costs the inline path nothing.
    public var reconnectDelay: Duration = .seconds(1)
    /// Records kept in the local cache (at most twice this).
    public var cacheCapacity = 200_000
    /// How long Redis keeps a record that no lesson has written since: every write sets it
    /// again, so Redis forgets silent senders, pairs and names by itself. Redis cannot see
    /// inside a record, so it forgets by age alone, also a record whose counts have not yet
    /// faded (see `BaselineRecord.isStale`). Default: `BaselineSettings`' default
    /// `forgetAfterSeconds` (200 days); change the two together.
    public var recordTTL: Duration = .seconds(BaselineSettings().forgetAfterSeconds)

    public init() {}

    /// Never the password: settings end up in logs and `gannet check`.
    public var description: String {
        "\(host):\(port) (\(keyPrefix)*)" + (password.isEmpty ? "" : ", AUTH as \(username.isEmpty ? "default" : username)") + (tls == nil ? "" : ", TLS")
    }
}
