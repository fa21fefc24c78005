import Foundation
import Testing

/// The real daemon behind a real private Postfix on 127.0.0.1, with swaks and smtp-source
/// as independent clients.
@Suite(.serialized, .enabled(if: TestTools.postfixAvailable, "\(TestTools.missing(["postfix", "postqueue", "postsuper", "swaks", "smtp-source"], needsRoot: true) ?? "")"))
struct PostfixIntegrationTests {
    /// Daemon and Postfix wired together in a fresh directory; both stopped afterwards.
    /// `configFor`: the daemon's configuration, given that directory (Postfix's is `postfix/etc`);
    /// `prepare` runs in it before the daemon starts.
    func withMailSystem(config: String = TestConfig.text(), configFor: ((String) -> String)? = nil, prepare: ((String) throws -> Void)? = nil,
                        _ body: (DaemonProcess, PrivatePostfix) throws -> Void) throws {
        let directory = try TestTools.temporaryDirectory("pf")
        try prepare?(directory)
        let daemon = try DaemonProcess(directory: directory, config: configFor?(directory) ?? config)
        let postfix = try PrivatePostfix(directory: "\(directory)/postfix", milterSocket: daemon.socketPath)
        defer {
            postfix.stop()
            daemon.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try body(daemon, postfix)
    }

    @Test func aNormalMessageIsDeliveredWithTheVerdictHeader() throws {
        try withMailSystem { daemon, postfix in
            let sent = try postfix.send(from: "alice@example.org", subject: "quarterly figures")
            #expect(sent.status == 0, "\(sent.combined)")
            #expect(TestTools.waitUntil { postfix.deliveredMessages().count == 1 }, "not delivered; maillog:\n\(postfix.maillog)")
            let message = try #require(postfix.deliveredMessages().first)
            #expect(message.contains("X-Gannet-Verdict: accept score=0.018 category=clean model=none"))
            #expect(daemon.log.contains("decision=accept"))
        }
    }

    @Test func aBlockedSendersMessageIsHeldAndPostsuperReleasesIt() throws {
        try withMailSystem { daemon, postfix in
            let sent = try postfix.send(from: "blocked@evil.example", subject: "invoice overdue")
            #expect(sent.status == 0, "\(sent.combined)")
            var held: PrivatePostfix.QueuedMessage?
            #expect(try TestTools.waitUntil {
                held = try postfix.queue().first { $0.queueName == "hold" }
                return held != nil
            }, "nothing in the hold queue; maillog:\n\(postfix.maillog)")
            let queueID = try #require(held?.queueID)
            #expect(postfix.deliveredMessages().isEmpty)
            // The daemon's log line and Postfix's own log name the same queue id.
            #expect(daemon.log.contains("queue_id=\(queueID)"), "daemon log:\n\(daemon.log)")
            let verdictLine = daemon.log.split(separator: "\n").first { $0.contains("queue_id=\(queueID)") } ?? ""
            #expect(verdictLine.contains("decision=quarantine") && verdictLine.contains("reasons=BLOCKED_SENDER"))
            #expect(postfix.maillog.contains("\(queueID): milter-hold: END-OF-MESSAGE"), "maillog:\n\(postfix.maillog)")

            let released = try postfix.releaseFromHold(queueID)
            #expect(released.status == 0, "\(released.combined)")
            postfix.flush()
            #expect(TestTools.waitUntil { postfix.deliveredMessages().count == 1 }, "not delivered after release; maillog:\n\(postfix.maillog)")
            #expect(postfix.deliveredMessages().first?.contains("X-Gannet-Verdict: quarantine score=1.000 category=policy model=none") == true)
        }
    }

    @Test func aForgedVerdictHeaderIsReplaced() throws {
        try withMailSystem { _, postfix in
            let sent = try postfix.send(from: "mallory@example.org", headers: ["X-Gannet-Verdict: accept score=0.000 category=clean model=forged"])
            #expect(sent.status == 0, "\(sent.combined)")
            #expect(TestTools.waitUntil { postfix.deliveredMessages().count == 1 })
            let message = try #require(postfix.deliveredMessages().first)
            let verdicts = message.split(separator: "\n").filter { $0.lowercased().hasPrefix("x-gannet-verdict:") }
            #expect(verdicts.count == 1 && verdicts[0].hasPrefix("X-Gannet-Verdict: accept score=0.018 category=clean model=none id=g-"), "\(verdicts)")
        }
    }

    /// Hundreds of SIGHUPs (and SIGUSR1s) while smtp-source pushes mail over 8 connections:
    /// the daemon keeps serving, every message is delivered with a verdict, none tempfailed.
    @Test func reloadSignalStormsUnderLoadLoseNothing() throws {
        try withMailSystem { daemon, postfix in
            let messageCount = 300
            let load = postfix.startLoad(messages: messageCount, sessions: 8, messageBytes: 2000)
            var signalsSent = 0
            while !load.isSet || signalsSent < 500 {
                daemon.signal(signalsSent % 10 == 9 ? SIGUSR1 : SIGHUP)
                signalsSent += 1
                usleep(1_000)
                if signalsSent > 100_000 { break }
            }
            #expect(TestTools.waitUntil(timeout: .seconds(300)) { load.isSet })
            let result = try #require(load.value)
            #expect(result.status == 0, "smtp-source: \(result.combined)")
            #expect(daemon.isRunning, "daemon died under the signal storm; log:\n\(daemon.log)")
            #expect(TestTools.waitUntil(timeout: .seconds(120)) { postfix.deliveredMessages().count == messageCount },
                    "delivered \(postfix.deliveredMessages().count) of \(messageCount); maillog tail:\n\(postfix.maillog.suffix(3000))")
            #expect(postfix.deliveredMessages().allSatisfy { $0.contains("X-Gannet-Verdict: accept") })
            #expect(!postfix.maillog.contains("milter-reject"), "maillog:\n\(postfix.maillog.suffix(3000))")
            #expect(!postfix.maillog.contains(" 451 "))
            let metrics = try #require(daemon.metricsPort.flatMap { HTTPGet.body(port: $0, path: "/metrics") })
            #expect((HTTPGet.sample(metrics, #"gannet_reloads_total{result="success"}"#) ?? 0) >= 1)
            #expect(HTTPGet.sample(metrics, #"gannet_reloads_total{result="failure"}"#) == 0)
            #expect(HTTPGet.sample(metrics, #"gannet_messages_total{decision="accept"}"#) == Double(messageCount))
        }
    }

    @Test func aStoppedDaemonTempfailsInsteadOfLosingMail() throws {
        try withMailSystem { daemon, postfix in
            daemon.stop()
            let sent = try postfix.send(from: "alice@example.org")
            #expect(sent.status != 0)
            #expect(sent.combined.contains("451"), "\(sent.combined)")
            #expect(postfix.deliveredMessages().isEmpty)
        }
    }
}

/// Model swaps while mail flows: two valid models and an invalid one, reloaded by SIGHUP.
@Suite(.serialized, .enabled(if: TestTools.postfixAvailable, "\(TestTools.missing(["postfix", "postqueue", "postsuper", "swaks", "smtp-source"], needsRoot: true) ?? "")"))
struct ModelReloadIntegrationTests {
    static func model(id: String, schema: String) -> String {
        """
        {"format": "gannet-model", "format_version": 1, "id": "\(id)", "created": "2026-11-25T00:00:00Z",
         "feature_schema": "\(schema)", "training_data": "test", "thresholds": {"quarantine": 0.9, "accept": 0.3},
         "inline": {"kind": "linear", "bias": -6, "weights": {"url_count": 0.1}}}
        """
    }

    /// Written aside and renamed, as `gannet deploy` does, so a reload never reads half a file.
    static func install(_ text: String, at path: String) throws {
        try text.write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
        guard rename(path + ".tmp", path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    @Test func swappingModelsUnderLoadKeepsEveryMessageOnAValidModel() throws {
        let directory = try TestTools.temporaryDirectory("models")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let schema = try #require(Command.run(TestTools.gannetBinary, ["features", "--schema"]).output.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let modelPath = "\(directory)/model.json"
        try Self.install(Self.model(id: "model-a", schema: schema), at: modelPath)
        let daemon = try DaemonProcess(directory: directory, config: TestConfig.text(model: modelPath))
        defer { daemon.stop() }
        let postfix = try PrivatePostfix(directory: "\(directory)/postfix", milterSocket: daemon.socketPath)
        defer { postfix.stop() }

        let messageCount = 200
        let load = postfix.startLoad(messages: messageCount, sessions: 4, messageBytes: 1000)
        var swaps = 0
        let variants = [Self.model(id: "model-b", schema: schema), Self.model(id: "model-broken", schema: "0000000000000000"), Self.model(id: "model-a", schema: schema)]
        while !load.isSet || swaps < 6 {
            try Self.install(variants[swaps % variants.count], at: modelPath)
            daemon.signal(SIGHUP)
            swaps += 1
            usleep(30_000)
            if swaps > 10_000 { break }
        }
        #expect(TestTools.waitUntil(timeout: .seconds(300)) { load.isSet })
        #expect(load.value?.status == 0, "\(load.value?.combined ?? "")")
        #expect(TestTools.waitUntil(timeout: .seconds(120)) { postfix.deliveredMessages().count == messageCount })
        let models = postfix.deliveredMessages().compactMap { message in
            message.split(separator: "\n").first { $0.hasPrefix("X-Gannet-Verdict:") }?.split(separator: "model=").last?.split(separator: " ").first.map(String.init)
        }
        #expect(models.count == messageCount)
        #expect(Set(models).isSubset(of: ["model-a", "model-b"]), "\(Set(models))")
        #expect(!postfix.maillog.contains("milter-reject"))
        let metrics = try #require(daemon.metricsPort.flatMap { HTTPGet.body(port: $0, path: "/metrics") })
        #expect((HTTPGet.sample(metrics, #"gannet_reloads_total{result="failure"}"#) ?? 0) >= 1)
        #expect(daemon.log.contains("model refused: model was trained for feature schema 0000000000000000"))
        #expect(daemon.isRunning)
    }
}
