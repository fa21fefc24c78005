import Foundation
import Testing

/// Baselines in the real daemon behind a real private Postfix: lessons from final verdicts,
/// the embedded store's write-behind across `kill -9`, and the behaviour features reaching
/// the rules.
@Suite(.serialized, .enabled(if: TestTools.postfixAvailable, "\(TestTools.missing(["postfix", "postqueue", "postsuper", "swaks", "smtp-source"], needsRoot: true) ?? "")"))
struct BaselinesIntegrationTests {
    /// The embedded store, or with `redisPort` the Redis one.
    static func config(_ directory: String, redisPort: Int? = nil) -> String {
        let store = redisPort.map { "store = \"redis\"\n[baselines.redis]\nport = \($0)\nlookup_timeout_us = 50000" } ?? "write_behind_seconds = 1"
        return """
        [milter]
        socket_group = "postfix"
        [detection]
        inline_budget_ms = 2000
        internal_domains = ["gannet.test"]
        rules = "\(directory)/rules.gannet"
        [baselines]
        \(store)
        [metrics]
        listen = "127.0.0.1:0"
        """
    }

    /// Decides on behaviour alone, so the test sees the features reach the rules.
    static let rules = """
        rule KNOWN_NAME_NEW_ADDRESS
          when display_name_new_address > 0 and pair_first_contact_share >= 1
          then weight 10 category bec
        """

    func withMailSystem(redisPort: Int? = nil, _ body: (inout MailSystem) throws -> Void) throws {
        try MailSystem.run("baselines", files: ["rules.gannet": Self.rules], config: { Self.config($0, redisPort: redisPort) }, body)
    }

    @Test func lessonsOlderThanTheWriteBehindIntervalSurviveKill9AndAreLoadedAtStart() throws {
        try withMailSystem { system in
            try system.send(3, from: "partner@vendor.example")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.lessons("clean") == 3 }, "daemon log:\n\(system.daemon.log)")
            // Two write-behind intervals, then a crash.
            Thread.sleep(forTimeInterval: 2.5)
            system.daemon.signal(SIGKILL)
            system.daemon.process.waitUntilExit()

            let afterCrash = try system.baselines("partner@vendor.example")
            #expect(afterCrash["sender_known"] == 1)
            #expect(abs((afterCrash["sender_messages"] ?? 0) - 3) < 0.01)
            #expect(abs((afterCrash["pair_minimum_messages"] ?? 0) - 3) < 0.01)
            #expect(afterCrash["pair_first_contact_share"] == 0)

            // The restarted daemon starts from the file: a fourth message makes four, not one.
            system.daemon = try DaemonProcess(directory: system.directory, config: Self.config(system.directory))
            try system.send(1, from: "partner@vendor.example")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.lessons("clean") == 1 }, "daemon log:\n\(system.daemon.log)")
            // A clean stop writes the rest at once.
            #expect(system.daemon.stop() == 0)
            #expect(abs((try system.baselines("partner@vendor.example")["sender_messages"] ?? 0) - 4) < 0.01)
        }
    }

    @Test func aKnownNameFromANewAddressIsHeldWithItsReason() throws {
        try withMailSystem { system in
            try system.send(2, from: "pat@vendor.example", fromHeader: "Pat Vendor <pat@vendor.example>")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.lessons("clean") == 2 }, "daemon log:\n\(system.daemon.log)")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.postfix.deliveredMessages().count == 2 })

            try system.send(1, from: "pat.vendor@freemail.example", fromHeader: "Pat Vendor <pat.vendor@freemail.example>")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.lessons("flagged") == 1 }, "daemon log:\n\(system.daemon.log)")
            let held = try system.postfix.queue().filter { $0.queueName == "hold" }
            #expect(held.map(\.sender) == ["pat.vendor@freemail.example"])
            #expect(system.daemon.log.contains("KNOWN_NAME_NEW_ADDRESS"), "daemon log:\n\(system.daemon.log)")

            // Offline, `gannet explain --baselines` gives the same answer from the store on disk.
            Thread.sleep(forTimeInterval: 1.5)
            let file = "\(system.directory)/impersonation.eml"
            try "From: Pat Vendor <pat.vendor@freemail.example>\r\nTo: user@gannet.test\r\nSubject: order\r\n\r\nThe parts ship on Monday.\r\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let explained = try Command.run(TestTools.gannetBinary, ["explain", "--baselines", "--config", "\(system.directory)/gannet.toml",
                                                                     "--state-dir", "\(system.directory)/state", file])
            #expect(explained.status == 0, "\(explained.combined)")
            #expect(explained.output.contains("rules fired: KNOWN_NAME_NEW_ADDRESS"), "\(explained.output)")
            #expect(explained.output.contains("display_name_new_address"), "\(explained.output)")
        }
    }

    @Test func mailInAnInternalNameFromOutsideTeachesNothing() throws {
        try withMailSystem { system in
            try system.send(1, from: "ceo@gannet.test", fromHeader: "The CEO <ceo@gannet.test>")
            try system.send(1, from: "partner@vendor.example")
            // The partner's lesson is learnt; the forged colleague's never was.
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.lessons("clean") == 1 }, "daemon log:\n\(system.daemon.log)")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.postfix.deliveredMessages().count == 2 })
            #expect(system.lessons("clean") == 1)
            Thread.sleep(forTimeInterval: 1.5)
            #expect(try system.baselines("ceo@gannet.test")["sender_known"] == 0)
        }
    }

    /// Two MTAs sharing baselines in one Redis: what one learns, the other knows.
    @Test(.enabled(if: TestTools.which("redis-server") != nil, "redis-server missing — run packaging/bootstrap.sh"))
    func aFleetSharesItsBaselinesThroughRedis() throws {
        let redis = try RedisProcess()
        defer { redis.stop() }
        try withMailSystem(redisPort: redis.port) { first in
            try first.send(2, from: "pat@vendor.example", fromHeader: "Pat Vendor <pat@vendor.example>")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { first.lessons("clean") == 2 }, "daemon log:\n\(first.daemon.log)")
            try withMailSystem(redisPort: redis.port) { second in
                // The second MTA never saw Pat's mail, yet holds the impersonation.
                try second.send(1, from: "pat.vendor@freemail.example", fromHeader: "Pat Vendor <pat.vendor@freemail.example>")
                #expect(TestTools.waitUntil(timeout: .seconds(30)) { second.lessons("flagged") == 1 }, "daemon log:\n\(second.daemon.log)")
                #expect(try second.postfix.queue().filter { $0.queueName == "hold" }.map(\.sender) == ["pat.vendor@freemail.example"])
                #expect(try second.baselines("pat@vendor.example")["sender_known"] == 1)
            }
        }
    }
}

/// What the baselines tests look at.
extension MailSystem {
    func lessons(_ outcome: String) -> Int? {
        daemon.metricsPort.flatMap { HTTPGet.body(port: $0, path: "/metrics") }.flatMap {
            HTTPGet.sample($0, "gannet_baseline_lessons_total{outcome=\"\(outcome)\"}").map { Int($0) }
        }
    }

    /// `gannet baselines`: feature name → value, read from the database on disk.
    func baselines(_ sender: String, to recipient: String = "user@gannet.test") throws -> [String: Double] {
        let result = try Command.run(TestTools.gannetBinary, ["baselines", "--config", "\(directory)/gannet.toml", "--state-dir", "\(directory)/state", sender, "--to", recipient])
        guard result.status == 0 else { throw BaselinesError.failed(result.combined) }
        var values: [String: Double] = [:]
        for line in result.output.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let value = Double(fields[1]) { values[String(fields[0])] = value }
        }
        return values
    }

    enum BaselinesError: Error { case failed(String) }

    func send(_ count: Int, from sender: String, fromHeader: String? = nil) throws {
        for index in 0..<count {
            let sent = try postfix.send(from: sender, subject: "order \(index)", fromHeader: fromHeader, body: "The parts ship on Monday.")
            #expect(sent.status == 0, "\(sent.combined)")
        }
    }
}

/// A private redis-server on a free loopback port.
final class RedisProcess {
    let port = TestTools.freePort()
    private let process = Process()

    init() throws {
        process.executableURL = URL(fileURLWithPath: TestTools.which("redis-server") ?? "/usr/bin/redis-server")
        process.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard TestTools.waitUntil(timeout: .seconds(10), { (try? Command.run("redis-cli", ["-p", "\(port)", "PING"]).output) == "PONG\n" }) else {
            stop()
            throw CocoaError(.executableLoad)
        }
    }

    /// SIGKILL: children of the test runner inherit SIGTERM blocked.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
