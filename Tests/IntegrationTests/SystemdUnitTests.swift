import Foundation
import Testing

@Suite(.enabled(if: TestTools.which("systemd-analyze") != nil, "missing: systemd-analyze — run packaging/bootstrap.sh"))
struct SystemdUnitTests {
    /// systemd-analyze exits 0 even on unknown keys, so the script fails on any output.
    @Test(arguments: ["gannet.service", "gannet-retrain.service", "gannet-release.service"])
    func theServiceUnitsVerifyWithoutAWord(name: String) throws {
        let unit = TestTools.packageRoot.appendingPathComponent("systemd/\(name)").path
        let result = try Command.run(TestTools.script("verify-unit.sh"), [unit])
        #expect(result.status == 0, "\(result.combined)")
        // systemd-analyze security's exposure (offline, systemd 250 on): at most 2.0 for every
        // service, the root release helper included (it was 2.1).
        let exposure = result.output.firstMatch(of: /Overall exposure level for [^:]+: ([0-9.]+)/).flatMap { Double($0.1) }
        let measured = try #require(exposure, "no exposure level printed:\n\(result.combined)")
        #expect(measured <= 2.0, "\(name): \(measured)")
    }

    @Test(arguments: ["gannet-retrain.timer", "gannet-release.path"])
    func theTriggerUnitsVerifyWithoutAWord(name: String) throws {
        let timer = TestTools.packageRoot.appendingPathComponent("systemd/\(name)").path
        let result = try Command.run("systemd-analyze", ["verify", "--man=no", "--generators=no", timer])
        #expect(result.status == 0 && result.combined.isEmpty, "\(result.combined)")
    }
}
