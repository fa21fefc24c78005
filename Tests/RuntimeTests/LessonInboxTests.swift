import Baselines
import Features
import Foundation
import Runtime
import Testing

@Suite struct LessonInboxTests {
    @Test func lessonsLeftAreTaughtOnceAndGarbageIsRemoved() throws {
        let directory = NSTemporaryDirectory() + "gannet-lessons-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inbox = LessonInbox(directory: directory)
        try inbox.create()
        let parties = BaselineQuery(envelopeSender: "pat@vendor.example", fromAddress: "pat@vendor.example", fromDisplayName: "Pat Vendor",
                                    recipients: ["user@corp.example"], at: 1_767_225_600)
        try inbox.leave(BaselineObservation(message: parties, outcome: .clean), name: "release-4BCD1")
        try "not a lesson".write(toFile: "\(directory)/broken.json", atomically: true, encoding: .utf8)
        // Something still being written under a dot name is left alone.
        try "{".write(toFile: "\(directory)/.tmp-next.json", atomically: true, encoding: .utf8)

        let store = EmbeddedBaselineStore()
        let delivered = inbox.deliver(to: store)
        #expect(delivered.taught == 1 && delivered.unreadable == 1)
        #expect(store.signals(for: parties)[.senderKnown] == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [".tmp-next.json"])
        #expect(inbox.deliver(to: store) == (0, 0))
    }
}
