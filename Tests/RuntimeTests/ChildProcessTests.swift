@testable import Runtime
import Testing

@Suite struct ChildProcessTests {
    /// postcat's output is a message: a warning it prints on the way must not end up in it.
    @Test func stderrKeptApartStaysOutOfTheData() {
        let script = ["/bin/sh", "-c", "printf 'Subject: x\\n\\nbody\\n'; echo 'postcat: warning: odd record' >&2"]
        let apart = ChildProcess.run(script, timeLimit: .seconds(10), separateErrors: true)
        #expect(apart.succeeded)
        #expect(apart.output == "Subject: x\n\nbody\n")
        #expect(apart.diagnostics == "postcat: warning: odd record\n")
        let together = ChildProcess.run(script, timeLimit: .seconds(10))
        #expect(together.output.contains("body") && together.output.contains("warning"))
    }
}
