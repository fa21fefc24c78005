import Baselines
import Features
import Foundation
import Testing

@Suite(.serialized) struct RedisBaselineStoreTests {
    let user = "alice@corp.example"

    func redisSettings(port: UInt16, prefix: String = "test:") -> RedisSettings {
        var settings = RedisSettings()
        settings.port = port
        settings.keyPrefix = prefix
        // Generous for a loaded test machine; the fallback tests need it to pass only once.
        settings.lookupTimeout = .milliseconds(200)
        return settings
    }

    /// Six months of mail among thirty partners and eight users, with replies and flagged mail.
    func stream() -> [BaselineObservation] {
        var observations: [BaselineObservation] = []
        for index in 0..<600 {
            let partner = "p\(index % 30)@vendor\(index % 9).example"
            let colleague = "user\(index % 8)@corp.example"
            let at = start + Int64(index) * 7 * 3600
            let inbound = message(from: partner, name: "Partner \(index % 30)", to: [colleague, "user\((index + 3) % 8)@corp.example"], at: at)
            observations.append(BaselineObservation(message: inbound, outcome: index % 13 == 0 ? .flagged : .clean))
            if index % 4 == 0 {
                observations.append(BaselineObservation(message: message(from: colleague, name: "User \(index % 8)", to: [partner], at: at + 60), outcome: .clean))
            }
        }
        return observations
    }

    func probes() -> [BaselineQuery] {
        var queries: [BaselineQuery] = []
        for index in 0..<40 {
            let at = start + 200 * day + Int64(index) * 3600
            queries.append(message(from: "p\(index % 30)@vendor\(index % 9).example", name: "Partner \(index % 30)", to: ["user\(index % 8)@corp.example"], at: at))
            queries.append(message(from: "p\(index % 30)@vend0r\(index % 9).example", name: "Partner \(index % 30)", to: ["user\(index % 8)@corp.example", "user1@corp.example"], at: at))
        }
        return queries
    }

    @Test func redisAndEmbeddedStoresGiveIdenticalSignals() throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        let server = try RedisServer()
        let model = BaselineModel(settings: settings())
        let embedded = EmbeddedBaselineStore(model: model)
        let redis = RedisBaselineStore(model: model, settings: redisSettings(port: server.port))
        for observation in stream() {
            embedded.learn(observation)
            redis.learn(observation)
        }
        #expect(redis.unsharedLessons == 0)
        // A second MTA that learned nothing itself sees the same through Redis.
        let otherMTA = RedisBaselineStore(model: model, settings: redisSettings(port: server.port))
        var differing = 0
        for query in probes() {
            let expected = embedded.signals(for: query)
            if redis.signals(for: query) != expected || otherMTA.signals(for: query) != expected { differing += 1 }
        }
        #expect(differing == 0)
        #expect(probes().contains { embedded.signals(for: $0)[.senderKnown] == 1 })
        #expect(probes().contains { embedded.signals(for: $0)[.displayNameNewAddress] == 1 })
    }

    @Test func aStoppedRedisFallsBackToTheLocalCacheAndSaysSo() throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        let server = try RedisServer()
        let redis = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: redisSettings(port: server.port))
        for index in 0..<10 { redis.learnClean(message(from: "ap@partner.example", to: [user], at: start + Int64(index) * day)) }
        let query = message(from: "ap@partner.example", to: [user], at: start + 20 * day)
        let online = redis.signals(for: query)
        #expect(online[.storeFallback] == 0)
        #expect(online[.senderKnown] == 1)

        server.stop()
        var offline = redis.signals(for: query)
        #expect(offline[.storeFallback] == 1)
        offline[.storeFallback] = 0
        #expect(offline == online)

        // Lessons while Redis is away stay in this MTA's cache.
        redis.learnClean(message(from: "new@other.example", to: [user], at: start + 20 * day))
        #expect(redis.unsharedLessons == 1)
        let learnedLocally = redis.signals(for: message(from: "new@other.example", to: [user], at: start + 21 * day))
        #expect(learnedLocally[.senderKnown] == 1)
        #expect(learnedLocally[.storeFallback] == 1)
    }

    @Test func aRestartedRedisIsUsedAgainAfterTheReconnectDelay() throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        var server = try RedisServer()
        let port = server.port
        var tuned = redisSettings(port: port)
        tuned.reconnectDelay = .milliseconds(200)
        let redis = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: tuned)
        let query = message(from: "ap@partner.example", to: [user], at: start)
        #expect(redis.signals(for: query)[.storeFallback] == 0)
        server.stop()
        // Lookups more often than the delay while Redis is away must not keep postponing the retry.
        for _ in 0..<10 {
            #expect(redis.signals(for: query)[.storeFallback] == 1)
            Thread.sleep(forTimeInterval: 0.05)
        }
        server = try RedisServer(port: port)
        let deadline = Date().addingTimeInterval(5)
        var answered = false
        while !answered, Date() < deadline {
            answered = redis.signals(for: query)[.storeFallback] == 0
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(answered)
    }

    /// A Redis that anyone on the network could write to poisons every MTA's baselines, so
    /// Gannet logs in as an ACL user; without the right password it learns nothing there.
    @Test func anACLProtectedRedisAnswersOnlyTheRightUser() throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        let server = try RedisServer()
        try server.cli(["ACL", "SETUSER", "gannet", "on", ">s3cret pass", "~test:*", "+mget", "+set", "+watch", "+unwatch", "+multi", "+exec"])
        try server.cli(["ACL", "SETUSER", "default", "off"])
        let query = message(from: "ap@partner.example", to: [user], at: start + 20 * day)
        var authenticated = redisSettings(port: server.port)
        authenticated.username = "gannet"
        authenticated.password = "s3cret pass"
        let store = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: authenticated)
        for index in 0..<10 { store.learnClean(message(from: "ap@partner.example", to: [user], at: start + Int64(index) * day)) }
        #expect(store.unsharedLessons == 0)
        let signals = store.signals(for: query)
        #expect(signals[.storeFallback] == 0 && signals[.senderKnown] == 1)

        var wrong = authenticated
        wrong.password = "guess"
        for unauthenticated in [redisSettings(port: server.port), wrong] {
            let outsider = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: unauthenticated)
            #expect(outsider.signals(for: query)[.storeFallback] == 1)
            outsider.learnClean(message(from: "forged@partner.example", to: [user], at: start))
            #expect(outsider.unsharedLessons == 1)
        }
        #expect(!authenticated.description.contains("s3cret"))
    }

    /// A link that leaves the host goes over TLS: Redis's certificate must verify against the
    /// configured authority and name, and Redis asks for Gannet's client certificate.
    @Test func aTLSRedisIsReachedOnlyWithAVerifiedCertificate() throws {
        if let missing = RedisServer.missing ?? TestCertificates.missing { Issue.record(Comment(rawValue: missing)); return }
        let certificates = try TestCertificates(), stranger = try TestCertificates(name: "stranger")
        defer {
            certificates.remove()
            stranger.remove()
        }
        let server = try RedisServer(tls: certificates)
        let tlsPort = try #require(server.tlsPort)
        var files = RedisTLS.Files()
        files.caFile = certificates.caFile
        files.certificateFile = certificates.clientCertificate
        files.keyFile = certificates.clientKey
        let query = message(from: "ap@partner.example", to: [user], at: start + 20 * day)

        for serverName in ["", "redis.gannet.test"] {
            files.serverName = serverName
            var secure = redisSettings(port: tlsPort, prefix: "tls\(serverName.count):")
            secure.tls = try RedisTLS(files)
            let store = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: secure)
            for index in 0..<10 { store.learnClean(message(from: "ap@partner.example", to: [user], at: start + Int64(index) * day)) }
            #expect(store.unsharedLessons == 0, "server name '\(serverName)'")
            let signals = store.signals(for: query)
            #expect(signals[.storeFallback] == 0 && signals[.senderKnown] == 1, "server name '\(serverName)'")
        }
        #expect(try server.cli(["--scan", "--pattern", "tls*"]).split(separator: "\n").count > 0)

        // A handshake takes longer than the default inline budget of 2 ms: the lookup that
        // pays for it falls back, and the connection it made answers the next ones.
        files.serverName = ""
        var inline = redisSettings(port: tlsPort, prefix: "tls0:")
        inline.lookupTimeout = .milliseconds(2)
        inline.lookupConnections = 1
        inline.tls = try RedisTLS(files)
        let inlineStore = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: inline)
        let answered = (0..<20).map { _ in inlineStore.signals(for: query)[.storeFallback] == 0 }
        #expect(answered.dropFirst().contains(true), "\(answered)")

        var wrongName = files
        wrongName.serverName = "other.gannet.test"
        var otherAuthority = files
        otherAuthority.caFile = stranger.caFile
        otherAuthority.serverName = ""
        var noClientCertificate = RedisTLS.Files()
        noClientCertificate.caFile = certificates.caFile
        var refused: [RedisSettings] = [redisSettings(port: tlsPort)]
        for refusedFiles in [wrongName, otherAuthority, noClientCertificate] {
            var settings = redisSettings(port: tlsPort)
            settings.tls = try RedisTLS(refusedFiles)
            refused.append(settings)
        }
        for outsiderSettings in refused {
            let outsider = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: outsiderSettings)
            #expect(outsider.signals(for: query)[.storeFallback] == 1, "\(outsiderSettings.tls?.files ?? RedisTLS.Files())")
            outsider.learnClean(message(from: "forged@partner.example", to: [user], at: start))
            #expect(outsider.unsharedLessons == 1)
        }
    }

    @Test func aTLSContextRefusesFilesThatDoNotLoad() throws {
        if let missing = TestCertificates.missing { Issue.record(Comment(rawValue: missing)); return }
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        var files = RedisTLS.Files()
        files.caFile = "/nonexistent/ca.crt"
        #expect(throws: RedisError.self) { try RedisTLS(files) }
        files.caFile = certificates.caFile
        files.certificateFile = certificates.clientCertificate
        #expect(throws: RedisError.tls("a client certificate needs its key, and a key its certificate")) { try RedisTLS(files) }
        files.keyFile = certificates.serverKey
        #expect(throws: RedisError.self) { try RedisTLS(files) }
        files.keyFile = certificates.clientKey
        #expect(try RedisTLS(files).files == files)
    }

    @Test func aHungRedisTimesOutIntoTheCache() {
        let hung = LoopbackListener()
        let redis = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: redisSettings(port: hung.port))
        for _ in 0..<5 {
            let signals = redis.signals(for: message(from: "ap@partner.example", to: [user], at: start))
            #expect(signals[.storeFallback] == 1)
            #expect(signals[.senderKnown] == 0)
        }
    }

    @Test func twoMTAsLearningAtOnceLoseNoCounts() async throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        let server = try RedisServer()
        var generous = settings()
        generous.senderDailyCredit = 10_000
        generous.domainDailyCredit = 10_000
        let model = BaselineModel(settings: generous)
        let stores = [RedisBaselineStore(model: model, settings: redisSettings(port: server.port)), RedisBaselineStore(model: model, settings: redisSettings(port: server.port))]
        await withTaskGroup(of: Void.self) { group in
            for store in stores {
                group.addTask {
                    for _ in 0..<100 { store.learnClean(message(from: "ap@partner.example", to: ["alice@corp.example"], at: start)) }
                }
            }
        }
        // Every lesson is either in Redis or counted as not shared; contention rarely exhausts the retries.
        let unshared = Double(stores[0].unsharedLessons + stores[1].unsharedLessons)
        #expect(unshared < 10)
        let signals = stores[0].signals(for: message(from: "ap@partner.example", to: [user], at: start))
        #expect(signals[.senderMessages] == 200 - unshared)
        #expect(signals[.pairMinimumMessages] == 200 - unshared)
        #expect(signals[.recipientMessages] == 200 - unshared)
    }

    /// PTTL of every key under the test prefix, read inside Redis: pair keys hold a NUL,
    /// which cannot travel as a redis-cli argument.
    func expiries(on server: RedisServer) throws -> [Int] {
        let script = "local t = {} for _, k in ipairs(redis.call('KEYS', 'test:*')) do t[#t + 1] = redis.call('PTTL', k) end return t"
        return try server.cli(["EVAL", script, "0"]).split(separator: "\n").compactMap { Int($0) }
    }

    @Test func everyRecordWrittenExpiresWithinTheRecordTTL() throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        let server = try RedisServer()
        var tuned = redisSettings(port: server.port)
        tuned.recordTTL = .seconds(3600)
        let redis = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: tuned)
        redis.learnClean(message(from: "ap@partner.example", name: "Accounts Payable", to: [user], at: start))
        #expect(redis.unsharedLessons == 0)
        // Sender, domain, pair, recipient and display name.
        let first = try expiries(on: server)
        #expect(first.count == 5)
        #expect(first.allSatisfy { $0 > 0 && $0 <= 3_600_000 })

        // A later lesson sets the expiry again.
        try server.cli(["EVAL", "for _, k in ipairs(redis.call('KEYS', 'test:*')) do redis.call('PEXPIRE', k, 60000) end return 0", "0"])
        redis.learnClean(message(from: "ap@partner.example", name: "Accounts Payable", to: [user], at: start + day))
        #expect(try expiries(on: server).allSatisfy { $0 > 60_000 && $0 <= 3_600_000 })
    }

    @Test func redisForgetsARecordNoLessonWritesAgain() throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        let server = try RedisServer()
        var tuned = redisSettings(port: server.port)
        tuned.recordTTL = .milliseconds(200)
        let redis = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: tuned)
        redis.learnClean(message(from: "ap@partner.example", to: [user], at: start))
        #expect(redis.unsharedLessons == 0)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try expiries(on: server).isEmpty)
        let signals = redis.signals(for: message(from: "ap@partner.example", to: [user], at: start + day))
        #expect(signals[.storeFallback] == 0)
        #expect(signals[.senderKnown] == 0)
    }

    @Test func aDamagedValueInRedisCountsAsAbsent() throws {
        if let missing = RedisServer.missing { Issue.record(Comment(rawValue: missing)); return }
        let server = try RedisServer()
        let redis = RedisBaselineStore(model: BaselineModel(settings: settings()), settings: redisSettings(port: server.port))
        redis.learnClean(message(from: "ap@partner.example", to: [user], at: start))
        try server.cli(["SET", "test:s:ap@partner.example", "garbage"])
        try server.cli(["LPUSH", "test:d:partner.example", "a list"])
        let signals = redis.signals(for: message(from: "ap@partner.example", to: [user], at: start))
        #expect(signals[.senderKnown] == 0)
        #expect(signals[.pairMinimumMessages] == 1)
    }
}
