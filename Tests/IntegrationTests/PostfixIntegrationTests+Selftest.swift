import Foundation
import Testing

/// Canaries through a real private Postfix: each decision proven end to end, and a Postfix
/// that does not pass mail through Gannet, or is not there, found out.
extension PostfixIntegrationTests {
    static func selftestConfig(directory: String, port: Int, deadlineSeconds: Int) -> String {
        TestConfig.text(verifyHolds: "\(directory)/postfix/etc") + """

            [async]
            release_command = ["/usr/sbin/postsuper", "-c", "\(directory)/postfix/etc", "-H"]
            [selftest]
            enabled = true
            mta = "127.0.0.1:\(port)"
            to = "selftest@gannet.test"
            interval_minutes = 0
            deadline_seconds = \(deadlineSeconds)
            """
    }

    static func selftestCount(_ daemon: DaemonProcess, _ canary: String, _ result: String) -> Int? {
        guard let port = daemon.metricsPort, let metrics = HTTPGet.body(port: port, path: "/metrics") else { return nil }
        return HTTPGet.sample(metrics, "gannet_selftest_total{canary=\"\(canary)\",result=\"\(result)\"}").map { Int($0) }
    }

    /// The daemon starts first, as it does before Postfix on a real server: the first round
    /// waits for the MTA, then proves each decision, and every canary ends up delivered.
    @Test func eachDecisionsCanaryIsConfirmedThroughPostfixAndNothingStaysHeld() throws {
        let directory = try TestTools.temporaryDirectory("selftest")
        let port = TestTools.freePort()
        let daemon = try DaemonProcess(directory: directory, config: Self.selftestConfig(directory: directory, port: port, deadlineSeconds: 90))
        defer {
            daemon.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let postfix = try PrivatePostfix(directory: "\(directory)/postfix", milterSocket: daemon.socketPath, port: port)
        defer { postfix.stop() }
        let everyCanary = ["accept", "quarantine", "defer"]
        #expect(TestTools.waitUntil(timeout: .seconds(90)) { everyCanary.allSatisfy { Self.selftestCount(daemon, $0, "confirmed") == 1 } },
                "daemon log:\n\(daemon.log)\nmaillog:\n\(postfix.maillog)")
        for canary in everyCanary {
            for result in ["failed", "unseen", "unsent"] { #expect(Self.selftestCount(daemon, canary, result) == 0, "\(canary) \(result)") }
        }
        // The two held canaries were seen in the hold queue before they were let go.
        #expect(daemon.log.components(separatedBy: "selftest canary confirmed").count - 1 == 3)
        #expect(daemon.log.contains("detail=held and confirmed in the hold queue"))
        #expect(TestTools.waitUntil(timeout: .seconds(30)) {
            postfix.deliveredMessages().filter { $0.contains("X-Gannet-Selftest: ") }.count == 3
        }, "maillog:\n\(postfix.maillog)")
        #expect(try postfix.queue().filter { $0.queueName == "hold" }.isEmpty)
        let delivered = postfix.deliveredMessages()
        #expect(delivered.contains { $0.contains("Subject: Gannet self-test: quarantine canary") && $0.contains("X-Gannet-Verdict: quarantine score=") })
        #expect(delivered.contains { $0.contains("Subject: Gannet self-test: defer canary") && $0.contains("X-Gannet-Verdict: defer score=") })
    }

    /// A Postfix whose main.cf lost its milter line delivers everything unfiltered: the
    /// canaries say so.
    @Test func canariesThatNeverReachGannetAreUnseen() throws {
        let directory = try TestTools.temporaryDirectory("selftest")
        let port = TestTools.freePort()
        let postfix = try PrivatePostfix(directory: "\(directory)/postfix", milterSocket: nil, port: port)
        let daemon = try DaemonProcess(directory: directory, config: Self.selftestConfig(directory: directory, port: port, deadlineSeconds: 5))
        defer {
            postfix.stop()
            daemon.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        #expect(TestTools.waitUntil(timeout: .seconds(30)) { ["accept", "quarantine", "defer"].allSatisfy { Self.selftestCount(daemon, $0, "unseen") == 1 } },
                "daemon log:\n\(daemon.log)")
        #expect(daemon.log.contains("is Gannet among the MTA's milters?"))
        #expect(Self.selftestCount(daemon, "accept", "confirmed") == 0)
    }

    /// Nothing listening at the configured MTA: every canary is unsent once the deadline passes.
    @Test func canariesWithNoMTAAreUnsent() throws {
        let directory = try TestTools.temporaryDirectory("selftest")
        let daemon = try DaemonProcess(directory: directory, config: Self.selftestConfig(directory: directory, port: TestTools.freePort(), deadlineSeconds: 5))
        defer {
            daemon.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        #expect(TestTools.waitUntil(timeout: .seconds(30)) { ["accept", "quarantine", "defer"].allSatisfy { Self.selftestCount(daemon, $0, "unsent") == 1 } },
                "daemon log:\n\(daemon.log)")
        #expect(daemon.log.contains("Connection refused"))
    }
}
