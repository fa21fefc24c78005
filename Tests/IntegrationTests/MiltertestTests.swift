import Foundation
import Testing

/// The built daemon driven by `miltertest`, an independent libmilter client, with the Lua
/// scripts under Lua/.
@Suite(.serialized, .enabled(if: TestTools.miltertestAvailable, "\(TestTools.missing(["miltertest"]) ?? "")"))
struct MiltertestTests {
    static let scripts = TestTools.packageRoot.appendingPathComponent("Tests/IntegrationTests/Lua")

    @Test(arguments: ["accept.lua", "quarantine.lua", "forged.lua"])
    func script(_ name: String) throws {
        let directory = try TestTools.temporaryDirectory("mt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try DaemonProcess(directory: directory, config: DaemonLifecycleTests.config + "\nblocked_domains = [\"phish.test\"]\n")
        defer { daemon.stop() }
        let result = try Command.run("miltertest", ["-D", "socket=unix:\(daemon.socketPath)", "-s", Self.scripts.appendingPathComponent(name).path])
        #expect(result.status == 0, "\(name): \(result.combined)\ndaemon log:\n\(daemon.log)")
        #expect(daemon.isRunning)
    }
}
