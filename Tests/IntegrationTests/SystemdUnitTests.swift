import Foundation
import Testing

@Suite(.enabled(if: TestTools.which("systemd-analyze") != nil, "missing: systemd-analyze — run packaging/bootstrap.sh"))
struct SystemdUnitTests {
    /// systemd-analyze exits 0 even on unknown keys, so the script fails on any output.
    @Test func theServiceUnitVerifiesWithoutAWord() throws {
        let unit = TestTools.packageRoot.appendingPathComponent("systemd/gannet.service").path
        let result = try Command.run(TestTools.script("verify-unit.sh"), [unit])
        #expect(result.status == 0, "\(result.combined)")
    }
}
