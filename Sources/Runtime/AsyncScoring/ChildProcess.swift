import Foundation

/// Runs an external command to completion with a time limit, feeding it stdin and
/// collecting stdout and stderr together.
enum ChildProcess {
    struct Result: Sendable {
        /// Exit status; nil when the command could not start or was killed at the time limit.
        let status: Int32?
        let output: String
        let failure: String?

        var succeeded: Bool { status == 0 }
    }

    static func run(_ argv: [String], input: [UInt8] = [], timeLimit: Duration) -> Result {
        guard let program = argv.first else { return Result(status: nil, output: "", failure: "empty command") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(argv.dropFirst())
        let output = Foundation.Pipe()
        let stdin = Foundation.Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return Result(status: nil, output: "", failure: "cannot start \(program): \(error)")
        }
        // Output is drained on a thread of its own so a chatty command cannot block on a full pipe.
        let collected = CollectedOutput()
        let reader = Thread { collected.set(output.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input))
        try? stdin.fileHandleForWriting.close()
        let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) / 1e18
        if exited.wait(timeout: .now() + seconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            return Result(status: nil, output: collected.wait(), failure: "\(program) killed after \(timeLimit)")
        }
        return Result(status: process.terminationStatus, output: collected.wait(), failure: nil)
    }
}

/// A command's output handed over from the reader thread.
private final class CollectedOutput: @unchecked Sendable {
    // Guarded by `condition`.
    private var data: Data?
    private let condition = NSCondition()

    func set(_ value: Data) {
        condition.withLock {
            data = value
            condition.signal()
        }
    }

    func wait() -> String {
        condition.withLock {
            while data == nil { condition.wait() }
            return String(decoding: data ?? Data(), as: UTF8.self)
        }
    }
}
