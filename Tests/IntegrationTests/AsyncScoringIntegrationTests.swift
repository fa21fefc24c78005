import Foundation
import Testing

/// Deferred messages through a real private Postfix: spooled at end of message, held, scored
/// in full by the daemon's workers, then released with the real postsuper or kept held.
/// The inline byte budget is 1 KiB, so every message here with a longer body is deferred, and
/// a rule that only the full pass can fire (a link past the first KiB) makes one malicious.
@Suite(.serialized, .enabled(if: TestTools.postfixAvailable, "\(TestTools.missing(["postfix", "postqueue", "postsuper", "swaks", "smtp-source"], needsRoot: true) ?? "")"))
struct AsyncScoringIntegrationTests {
    static let rules = """
        rule LINK_PAST_THE_BUDGET
          when url_count > 0
          then weight 10 category phishing
        """

    static let filler = String(repeating: "Minutes of the weekly meeting, nothing to see here at all.\n", count: 40)
    static let cleanBody = filler + "Regards,\nAlice\n"
    static let maliciousBody = filler + "Sign in again at https://login.example.net/verify before noon.\n"

    /// The daemon's configuration; `release` is the release command (the real postsuper by default).
    static func config(directory: String, release: [String]? = nil, workers: Int = 2, capacity: Int = 100, onQueueFull: String = "hold", onDefer: String = "hold", hook: [String] = []) -> String {
        let command = release ?? ["/usr/sbin/postsuper", "-c", "\(directory)/postfix/etc", "-H"]
        return """
            [milter]
            socket_group = "postfix"
            [detection]
            on_defer = "\(onDefer)"
            inline_budget_ms = 2000
            inline_byte_budget = 1024
            rules = "\(directory)/rules.gannet"
            [async]
            workers = \(workers)
            queue_capacity = \(capacity)
            on_queue_full = "\(onQueueFull)"
            release_command = [\(command.map { "\"\($0)\"" }.joined(separator: ", "))]
            hook_command = [\(hook.map { "\"\($0)\"" }.joined(separator: ", "))]
            [metrics]
            listen = "127.0.0.1:0"
            [verify]
            postfix_config = "\(directory)/postfix/etc"
            interval_seconds = 1
            """
    }

    /// A release command that blocks a worker for a while, so jobs pile up behind it.
    static let stuckRelease = ["/bin/sh", "-c", "sleep 20", "release"]

    func withMailSystem(release: [String]? = nil, workers: Int = 2, capacity: Int = 100, onQueueFull: String = "hold", onDefer: String = "hold",
                        hook: (String) -> [String] = { _ in [] }, _ body: (inout MailSystem) throws -> Void) throws {
        try MailSystem.run("async", files: ["rules.gannet": Self.rules], config: { directory in
            Self.config(directory: directory, release: release, workers: workers, capacity: capacity, onQueueFull: onQueueFull, onDefer: onDefer, hook: hook(directory))
        }, body)
    }

    @Test func aDeferredCleanMessageIsHeldThenReleasedAndDelivered() throws {
        try withMailSystem { system in
            let sent = try system.postfix.send(from: "alice@example.org", subject: "minutes", body: Self.cleanBody)
            #expect(sent.status == 0, "\(sent.combined)")
            #expect(TestTools.waitUntil(timeout: .seconds(60)) { system.postfix.deliveredMessages().count == 1 },
                    "not delivered; daemon log:\n\(system.daemon.log)\nmaillog:\n\(system.postfix.maillog)")
            let queueID = try #require(system.acceptedQueueIDs().first, "not held first; maillog:\n\(system.postfix.maillog)")
            #expect(system.postfix.maillog.contains("\(queueID): released from hold"), "maillog:\n\(system.postfix.maillog)")
            let delivered = try #require(system.postfix.deliveredMessages().first)
            #expect(delivered.contains("X-Gannet-Verdict: defer score="))
            #expect(delivered.contains("Regards,"))
            let verdict = try #require(system.verdicts().first)
            #expect(verdict["queue_id"] as? String == queueID)
            #expect(verdict["outcome"] as? String == "clean")
            #expect(system.spooled(".job").isEmpty)
            let metrics = try #require(system.daemon.metricsPort.flatMap { HTTPGet.body(port: $0, path: "/metrics") })
            #expect(HTTPGet.sample(metrics, #"gannet_async_verdicts_total{outcome="clean"}"#) == 1)
            #expect(HTTPGet.sample(metrics, "gannet_async_verdict_seconds_count") == 1)
            #expect(HTTPGet.sample(metrics, "gannet_async_queue_depth") == 0)
        }
    }

    @Test func aDeferredMaliciousMessageStaysHeldWithItsReason() throws {
        try withMailSystem { system in
            let sent = try system.postfix.send(from: "alice@example.org", subject: "account", body: Self.maliciousBody)
            #expect(sent.status == 0, "\(sent.combined)")
            #expect(TestTools.waitUntil(timeout: .seconds(60)) { !system.verdicts().isEmpty }, "no verdict; daemon log:\n\(system.daemon.log)")
            let verdict = try #require(system.verdicts().first)
            #expect(verdict["outcome"] as? String == "malicious")
            let reasons = ((verdict["verdict"] as? [String: Any])?["reasons"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(reasons == ["LINK_PAST_THE_BUDGET"])
            let queueID = try #require(verdict["queue_id"] as? String)
            #expect(try system.held() == [queueID])
            #expect(system.daemon.log.contains("outcome=malicious"))
            Thread.sleep(forTimeInterval: 2)
            #expect(system.postfix.deliveredMessages().isEmpty)
            #expect(!system.postfix.maillog.contains("released from hold"))
        }
    }

    /// on_defer = "accept": both are delivered at once; the malicious one's verdict goes to the hook.
    @Test func inAcceptModeDeferredMessagesAreDeliveredAndTheHookGetsTheMaliciousVerdict() throws {
        try withMailSystem(onDefer: "accept", hook: { ["/bin/sh", "-c", "cat >> \($0)/hooked.jsonl"] }) { system in
            for (subject, body) in [("minutes", Self.cleanBody), ("account", Self.maliciousBody)] {
                let sent = try system.postfix.send(from: "alice@example.org", subject: subject, body: body)
                #expect(sent.status == 0, "\(sent.combined)")
            }
            #expect(TestTools.waitUntil(timeout: .seconds(60)) { system.postfix.deliveredMessages().count == 2 && system.verdicts().count == 2 },
                    "daemon log:\n\(system.daemon.log)")
            #expect(try system.held().isEmpty)
            let hooked = (try? String(contentsOfFile: "\(system.directory)/hooked.jsonl", encoding: .utf8)) ?? ""
            let lines = hooked.split(separator: "\n")
            #expect(lines.count == 1, "\(hooked)")
            let record = try #require(lines.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            #expect(record["outcome"] as? String == "malicious" && record["action"] as? String == "accept")
            let malicious = system.verdicts().first { $0["outcome"] as? String == "malicious" }
            #expect(record["queue_id"] as? String == malicious?["queue_id"] as? String)
        }
    }

    /// kill -9 with one verdict decided but not carried out and more jobs not yet scored;
    /// after a restart every message ends released or held, each with one kind of verdict.
    @Test func aKilledDaemonResumesEverySpooledJobAfterRestart() throws {
        try withMailSystem(release: Self.stuckRelease, workers: 1) { system in
            let bodies = [Self.cleanBody, Self.cleanBody, Self.maliciousBody, Self.cleanBody, Self.maliciousBody]
            for (index, body) in bodies.enumerated() {
                let sent = try system.postfix.send(from: "alice@example.org", subject: "message \(index)", body: body)
                #expect(sent.status == 0, "\(sent.combined)")
            }
            // One worker decided a verdict and is stuck releasing; the rest wait in the spool.
            #expect(TestTools.waitUntil(timeout: .seconds(60)) { system.spooled(".job").count == bodies.count && system.spooled(".verdict").count == 1 },
                    "spool: \(system.spooled(""))\ndaemon log:\n\(system.daemon.log)")
            #expect(try system.held().count == bodies.count)
            system.daemon.signal(SIGKILL)
            system.daemon.process.waitUntilExit()

            system.daemon = try DaemonProcess(directory: system.directory, config: Self.config(directory: system.directory))
            #expect(system.daemon.log.contains("jobs=\(bodies.count)") && system.daemon.log.contains("resumed spooled deferred messages"), "\(system.daemon.log)")
            #expect(TestTools.waitUntil(timeout: .seconds(90)) { system.spooled(".job").isEmpty && system.postfix.deliveredMessages().count == 3 },
                    "spool: \(system.spooled(""))\ndelivered: \(system.postfix.deliveredMessages().count)\ndaemon log:\n\(system.daemon.log)")
            let outcomes = Dictionary(grouping: system.verdicts(), by: { $0["queue_id"] as? String ?? "" }).mapValues { Set($0.compactMap { $0["outcome"] as? String }) }
            #expect(outcomes.count == bodies.count)
            #expect(outcomes.values.allSatisfy { $0.count == 1 }, "\(outcomes)")
            #expect(outcomes.values.filter { $0 == ["malicious"] }.count == 2)
            #expect(outcomes.values.filter { $0 == ["clean"] }.count == 3)
            let held = try system.held()
            #expect(Set(held) == Set(outcomes.filter { $0.value == ["malicious"] }.keys))
            #expect(system.spooled(".verdict").isEmpty)
        }
    }

    /// The packaged release path: the daemon only leaves a request (`gannet request-release`),
    /// and the root helper that gannet-release.path starts runs postsuper for it.
    @Test func thePackagedReleaseGoesThroughARequestAndTheRootHelper() throws {
        let requests = try TestTools.temporaryDirectory("requests")
        defer { try? FileManager.default.removeItem(atPath: requests) }
        try withMailSystem(release: [TestTools.gannetBinary, "request-release", "--directory", requests]) { system in
            let sent = try system.postfix.send(from: "alice@example.org", subject: "minutes", body: Self.cleanBody)
            #expect(sent.status == 0, "\(sent.combined)")
            #expect(TestTools.waitUntil(timeout: .seconds(60)) { system.verdicts().count == 1 }, "daemon log:\n\(system.daemon.log)")
            let queueID = try #require(system.verdicts().first?["queue_id"] as? String)
            // The full verdict keeps the name the inline one gave the message.
            let verdictID = try #require(system.verdicts().first?["verdict_id"] as? String)
            #expect(verdictID.range(of: #"^g-[0-9a-z]{10}$"#, options: .regularExpression) != nil)
            #expect(system.daemon.log.contains("verdict_id=\(verdictID)"), "\(system.daemon.log)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: requests) == [queueID])
            #expect(try system.held() == [queueID])
            // A name that is not a queue id is dropped unread.
            try Data().write(to: URL(fileURLWithPath: "\(requests)/not-an-id"))
            // The helper asks `gannet verify-release`, which reads the daemon's verdict log.
            let helperConfig = "\(system.directory)/helper-gannet.toml"
            try "[async]\nverdict_log = \"\(system.verdictLog)\"\n".write(toFile: helperConfig, atomically: true, encoding: .utf8)
            let path = URL(fileURLWithPath: TestTools.gannetBinary).deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            let helper = try Command.run(TestTools.script("release-held.sh"), ["--postfix-config", system.postfix.configDirectory, "--gannet-config", helperConfig, "--settle", "5", requests],
                                         environment: ["PATH": path])
            #expect(helper.status == 0, "\(helper.combined)")
            #expect(helper.output.contains("\(queueID): released"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: requests).isEmpty)
            #expect(TestTools.waitUntil(timeout: .seconds(60)) { system.postfix.deliveredMessages().count == 1 }, "maillog:\n\(system.postfix.maillog)")
        }
    }

    /// A burst into a full queue: one job occupies the only worker and the only place.
    @Test(arguments: ["tempfail", "hold"])
    func aBurstIntoAFullQueueFollowsThePolicy(policy: String) throws {
        try withMailSystem(release: Self.stuckRelease, workers: 1, capacity: 1, onQueueFull: policy) { system in
            let first = try system.postfix.send(from: "alice@example.org", subject: "first", body: Self.cleanBody)
            #expect(first.status == 0, "\(first.combined)")
            #expect(TestTools.waitUntil(timeout: .seconds(30)) { system.spooled(".verdict").count == 1 })
            let burst = try (0..<4).map { try system.postfix.send(from: "alice@example.org", subject: "burst \($0)", body: Self.cleanBody) }
            #expect(system.spooled(".job").count == 1)
            switch policy {
            case "tempfail":
                #expect(burst.allSatisfy { $0.status != 0 && $0.combined.contains("451") }, "\(burst.map(\.combined))")
                // The reply names the verdict, so a sender's bounce leads to it.
                #expect(burst.allSatisfy { $0.combined.range(of: #"\(verdict g-[0-9a-z]{10}\)"#, options: .regularExpression) != nil }, "\(burst.map(\.combined))")
                #expect(try system.held().count == 1)
            default:
                #expect(burst.allSatisfy { $0.status == 0 })
                // The verdict log's own thread writes these lines, just after the replies.
                #expect(TestTools.waitUntil { system.verdicts().count == 4 })
                let unscored = system.verdicts().filter { $0["outcome"] as? String == "unscored" }
                #expect(unscored.count == 4)
                #expect(unscored.allSatisfy { $0["detail"] as? String == "ASYNC_QUEUE_FULL" })
                #expect(TestTools.waitUntil { (try? system.held().count) == 5 })
                // Nothing releases them: the quarantine list says so, and a metric counts them.
                let reviewConfig = "\(system.directory)/review.toml"
                try "[async]\nverdict_log = \"\(system.verdictLog)\"\n".write(toFile: reviewConfig, atomically: true, encoding: .utf8)
                let listed = try Command.run(TestTools.gannetBinary, ["quarantine", "list", "--unsettled", "--json", "--config", reviewConfig, "--postfix-config", system.postfix.configDirectory])
                #expect(listed.status == 0, "\(listed.combined)")
                let lines = listed.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                #expect(lines.count == 4 && lines.allSatisfy { $0["held_because"] as? String == "never scored: ASYNC_QUEUE_FULL" }, "\(listed.output)")
                let metrics = try #require(system.daemon.metricsPort.flatMap { HTTPGet.body(port: $0, path: "/metrics") })
                #expect(HTTPGet.sample(metrics, "gannet_async_held_for_review_total{why=\"unscored\"}") == 4)
            }
            let metrics = try #require(system.daemon.metricsPort.flatMap { HTTPGet.body(port: $0, path: "/metrics") })
            #expect(HTTPGet.sample(metrics, "gannet_async_queue_full_total{action=\"\(policy)\"}") == 4)
            #expect(HTTPGet.sample(metrics, "gannet_async_queue_depth") == 1)
            #expect(system.postfix.deliveredMessages().isEmpty)
            // Every hold was looked for in the hold queue, and found.
            let held = policy == "hold" ? 5.0 : 1.0
            #expect(TestTools.waitUntil(timeout: .seconds(30)) {
                HTTPGet.body(port: system.daemon.metricsPort ?? 0, path: "/metrics").flatMap { HTTPGet.sample($0, #"gannet_actions_total{action="hold",result="confirmed"}"#) } == held
            }, "daemon log:\n\(system.daemon.log)")
        }
    }
}

/// What the asynchronous scoring tests look at.
extension MailSystem {
    var verdictLog: String { "\(directory)/state/verdicts.jsonl" }
    var spool: String { "\(directory)/state/spool" }

    /// The verdict log, one JSON object per line.
    func verdicts() -> [[String: Any]] {
        let text = (try? String(contentsOfFile: verdictLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func spooled(_ suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(suffix) }
    }

    func held() throws -> [String] {
        try postfix.queue().filter { $0.queueName == "hold" }.map(\.queueID)
    }

    /// Queue ids Postfix logged for messages it accepted, in order.
    func acceptedQueueIDs() -> [String] {
        postfix.maillog.split(separator: "\n").filter { $0.contains("milter-hold: END-OF-MESSAGE") }.compactMap { line in
            line.split(separator: " ").first { $0.hasSuffix(":") && $0.count >= 8 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == ":" } }
                .map { String($0.dropLast()) }
        }
    }
}
