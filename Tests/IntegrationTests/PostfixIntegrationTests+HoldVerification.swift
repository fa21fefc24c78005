import Foundation
import Testing

/// Proof that a quarantine held the message: Gannet looks for every hold it asked for in the
/// private Postfix's hold queue, and one that is not there (released behind its back, as a
/// Postfix that ignored the action would leave it) is counted missing and logged.
extension PostfixIntegrationTests {
    @Test func everyHoldIsLookedForInTheHoldQueueAndAMissingOneIsCounted() throws {
        try withMailSystem(configFor: { directory in
            // The first look comes 3 s after the holds, past the 1 s deadline.
            TestConfig.text(verifyHolds: "\(directory)/postfix/etc")
                .replacingOccurrences(of: "interval_seconds = 1", with: "interval_seconds = 3\ndeadline_seconds = 1")
        }) { daemon, postfix in
            #expect(try postfix.send(from: "blocked@evil.example", subject: "kept").status == 0)
            #expect(try postfix.send(from: "blocked@evil.example", subject: "let go").status == 0)
            #expect(try TestTools.waitUntil { try postfix.queue().filter { $0.queueName == "hold" }.count == 2 }, "maillog:\n\(postfix.maillog)")
            let letGo = try #require(try postfix.queue().first { $0.queueName == "hold" })
            #expect(try postfix.releaseFromHold(letGo.queueID).status == 0)
            let port = try #require(daemon.metricsPort)
            #expect(TestTools.waitUntil(timeout: .seconds(30)) {
                let metrics = HTTPGet.body(port: port, path: "/metrics") ?? ""
                return HTTPGet.sample(metrics, #"gannet_actions_total{action="quarantine",result="confirmed"}"#) == 1
                    && HTTPGet.sample(metrics, #"gannet_actions_total{action="quarantine",result="missing"}"#) == 1
            }, "\(HTTPGet.body(port: port, path: "/metrics") ?? "")\ndaemon log:\n\(daemon.log)")
            #expect(daemon.log.contains("Postfix does not hold a message Gannet quarantined") && daemon.log.contains(letGo.queueID), "\(daemon.log)")
        }
    }
}
