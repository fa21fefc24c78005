import Baselines
import Foundation

/// `[baselines]` settings: which store keeps who-writes-to-whom, and how it learns.
/// Changes take effect on restart.
public struct BaselinesConfig: Sendable, Equatable {
    public enum StoreKind: String, Sendable, CaseIterable {
        /// In memory, written behind to SQLite and loaded at start: one MTA.
        case embedded
        /// Shared by a fleet of MTAs in Redis, with a local cache for lookups Redis misses.
        case redis
        /// No baselines: every behaviour feature is 0.
        case off
    }

    public var store = StoreKind.embedded
    /// SQLite file of the embedded store; "" means `<state_dir>/baselines.sqlite`.
    public var path = ""
    /// Seconds between write-behind batches: what a crash of the embedded store may lose.
    public var writeBehindSeconds = 5
    /// Records the embedded store keeps, in memory and in its file; past it the least
    /// valuable are evicted (`EmbeddedBaselineStore.maxRecords`).
    public var maxRecords = EmbeddedBaselineStore.defaultMaxRecords
    /// How learning forgets and caps (half-life, daily credits, recipients looked at).
    public var model = BaselineSettings()
    /// Postfix services (their milter_macro_daemon_name) whose mail is our users' own
    /// outgoing mail, besides SMTP AUTH sessions: only such mail teaches in an internal name.
    public var originatingDaemonNames = ["ORIGINATING"]
    /// Lessons waiting to be learnt; past it new ones are dropped and counted.
    public var learnQueueCapacity = 10_000
    /// `[baselines.redis]`.
    public var redis = RedisSettings()

    public init() {}

    /// Reads `[baselines]` and `[baselines.redis]`.
    static func parse(_ section: inout ConfigSection) throws(ConfigError) -> BaselinesConfig {
        var config = BaselinesConfig()
        config.store = try section.choice("store", default: config.store)
        config.path = try section.string("path", default: "")
        if !config.path.isEmpty, !config.path.hasPrefix("/") { throw section.invalid("path", "must be an absolute path") }
        config.writeBehindSeconds = try section.integer("write_behind_seconds", default: config.writeBehindSeconds, in: 1...3_600)
        // Below 10,000, each of the store's 1,024 shards would keep a handful of records.
        config.maxRecords = try section.integer("max_records", default: config.maxRecords, in: 10_000...1_000_000_000)
        config.model.halfLifeSeconds = 86_400 * (try section.number("half_life_days", default: config.model.halfLifeSeconds / 86_400, in: 1...3_650))
        config.model.senderDailyCredit = try section.integer("sender_daily_credit", default: config.model.senderDailyCredit, in: 1...10_000)
        config.model.domainDailyCredit = try section.integer("domain_daily_credit", default: config.model.domainDailyCredit, in: 1...1_000_000)
        config.model.recipientsPerMessage = try section.integer("recipients_per_message", default: config.model.recipientsPerMessage, in: 1...1_000)
        let forgetDays = try section.integer("forget_after_days", default: Int(config.model.forgetAfterSeconds / 86_400), in: 1...36_500)
        config.model.forgetAfterSeconds = Int64(forgetDays) * 86_400
        config.redis.recordTTL = .seconds(config.model.forgetAfterSeconds)
        config.model.addressesPerDisplayName = try section.integer("addresses_per_display_name", default: config.model.addressesPerDisplayName, in: 1...100)
        config.originatingDaemonNames = try section.strings("originating_daemon_names", default: config.originatingDaemonNames)
        config.learnQueueCapacity = try section.integer("learn_queue_capacity", default: config.learnQueueCapacity, in: 1...10_000_000)

        var redis = try section.section("redis")
        config.redis.host = try redis.string("host", default: config.redis.host)
        guard Self.isIPv4(config.redis.host) else { throw redis.invalid("host", "'\(config.redis.host)' is not a dotted IPv4 address") }
        config.redis.port = UInt16(try redis.integer("port", default: Int(config.redis.port), in: 1...65_535))
        config.redis.keyPrefix = try redis.string("key_prefix", default: config.redis.keyPrefix)
        config.redis.username = try redis.string("username", default: "")
        let passwordFile = try redis.string("password_file", default: "")
        if !passwordFile.isEmpty {
            guard passwordFile.hasPrefix("/") else { throw redis.invalid("password_file", "must be an absolute path") }
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw redis.invalid("password_file", "cannot read \(passwordFile)")
            }
            config.redis.password = text.trimmingCharacters(in: .newlines)
            guard !config.redis.password.isEmpty else { throw redis.invalid("password_file", "\(passwordFile) is empty") }
        }
        config.redis.tls = try Self.tls(&redis)
        config.redis.lookupTimeout = .microseconds(try redis.integer("lookup_timeout_us", default: 2_000, in: 100...1_000_000))
        config.redis.learnTimeout = .milliseconds(try redis.integer("learn_timeout_ms", default: 1_000, in: 1...60_000))
        config.redis.lookupConnections = try redis.integer("lookup_connections", default: config.redis.lookupConnections, in: 1...256)
        config.redis.cacheCapacity = try redis.integer("cache_records", default: config.redis.cacheCapacity, in: 1...100_000_000)
        try redis.rejectUnknownKeys()
        try section.rejectUnknownKeys()
        return config
    }

    /// `tls` and its files, loaded now so that a bad file is a configuration error.
    private static func tls(_ redis: inout ConfigSection) throws(ConfigError) -> RedisTLS? {
        var files = RedisTLS.Files()
        let enabled = try redis.bool("tls", default: false)
        for (key, path) in [("tls_ca_file", \RedisTLS.Files.caFile), ("tls_cert_file", \.certificateFile), ("tls_key_file", \.keyFile)] {
            files[keyPath: path] = try redis.string(key, default: "")
            guard files[keyPath: path].isEmpty || files[keyPath: path].hasPrefix("/") else { throw redis.invalid(key, "must be an absolute path") }
            guard files[keyPath: path].isEmpty || enabled else { throw redis.invalid(key, "set tls = true to use it") }
        }
        files.serverName = try redis.string("tls_server_name", default: "")
        guard enabled else { return nil }
        do {
            return try RedisTLS(files)
        } catch {
            throw redis.invalid("tls", "\(error)")
        }
    }

    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && (UInt8(part) != nil) }
    }
}
