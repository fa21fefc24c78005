import Foundation

/// Runs an external command to completion with a time limit, feeding it stdin and
/// collecting stdout and stderr, together or apart. The command runs in a process group of
/// its own, so the time limit kills whatever it started as well.
enum ChildProcess {
    struct Result: Sendable {
        /// Exit status; nil when the command could not start or was killed at the time limit.
        let status: Int32?
        /// What the command wrote to stdout, and to stderr unless that was kept apart, up to
        /// the run's output limit.
        let bytes: [UInt8]
        let failure: String?
        /// What it wrote to stderr, when kept apart from the data on stdout.
        var errorBytes: [UInt8] = []

        var output: String { String(decoding: bytes, as: UTF8.self) }
        /// Diagnostics: stderr when kept apart, else the whole output.
        var diagnostics: String { String(decoding: errorBytes.isEmpty ? bytes : errorBytes, as: UTF8.self) }
        var succeeded: Bool { status == 0 }
    }

    /// `outputLimit` bounds what is kept of the output: a command's diagnostics by default,
    /// more where the output is the data (a queued message, a queue listing). Where it is,
    /// `separateErrors` keeps stderr out of it, so a warning never ends up inside the data.
    static func run(_ argv: [String], input: [UInt8] = [], timeLimit: Duration, outputLimit: Int = 65_536, separateErrors: Bool = false) -> Result {
        guard let program = argv.first else { return Result(status: nil, bytes: [], failure: "empty command") }
        let stdinPipe: Pipe
        let outputPipe: Pipe
        let errorPipe: Pipe?
        do throws(SystemCallError) {
            stdinPipe = try Pipe(nonBlocking: false)
            outputPipe = try Pipe(nonBlocking: false)
            errorPipe = separateErrors ? try Pipe(nonBlocking: false) : nil
        } catch {
            return Result(status: nil, bytes: [], failure: "\(error)")
        }
        let spawned = spawn(argv, stdin: stdinPipe.readEnd, output: outputPipe.writeEnd, errors: errorPipe?.writeEnd ?? outputPipe.writeEnd)
        close(stdinPipe.readEnd)
        close(outputPipe.writeEnd)
        if let errorPipe { close(errorPipe.writeEnd) }
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let error):
            close(stdinPipe.writeEnd)
            close(outputPipe.readEnd)
            if let errorPipe { close(errorPipe.readEnd) }
            return Result(status: nil, bytes: [], failure: "cannot start \(program): \(error)")
        }
        // Output is drained on threads of their own so a chatty command cannot block on a full pipe.
        let collected = CollectedOutput(limit: outputLimit)
        let outputDescriptor = outputPipe.readEnd
        Thread { collected.read(outputDescriptor) }.start()
        let collectedErrors = CollectedOutput(limit: 65_536)
        if let errorDescriptor = errorPipe?.readEnd {
            Thread { collectedErrors.read(errorDescriptor) }.start()
        } else {
            collectedErrors.finishEmpty()
        }
        writeWithoutSIGPIPE(stdinPipe.writeEnd, input)
        close(stdinPipe.writeEnd)

        let deadline = ContinuousClock.now + timeLimit
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { return Result(status: nil, bytes: [], failure: "\(SystemCallError.last("waitpid"))") }
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                return Result(status: nil, bytes: collected.wait(), failure: "\(program) killed after \(timeLimit)", errorBytes: collectedErrors.wait())
            }
            usleep(2_000)
        }
        // Anything the command left running in its group would hold the output open.
        kill(-pid, SIGKILL)
        let exitStatus: Int32? = (status & 0x7f) == 0 ? (status >> 8) & 0xff : nil
        return Result(status: exitStatus, bytes: collected.wait(), failure: exitStatus == nil ? "\(program) died of signal \(status & 0x7f)" : nil,
                      errorBytes: collectedErrors.wait())
    }

    /// Writes a command's input. A command that exits without reading it makes the write fail
    /// with EPIPE, which is fine; the SIGPIPE that comes with it is directed at this thread,
    /// blocked here and consumed, so it can never end the daemon.
    private static func writeWithoutSIGPIPE(_ descriptor: Int32, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        do throws(SystemCallError) {
            try DurableFile.writeAll(descriptor, bytes, path: "command input")
        } catch {
            var now = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &now)
        }
    }

    /// posix_spawn with the given stdin, stdout and stderr and no other descriptor, default
    /// signal handling and an empty signal mask (the daemon blocks some signals in its
    /// threads), in a new process group.
    private static func spawn(_ argv: [String], stdin: Int32, output: Int32, errors: Int32) -> Swift.Result<pid_t, SystemCallError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, errors, 2)
        // libmilter's sockets are not close-on-exec; a command holding one open would keep
        // Postfix waiting for that session to end.
        _ = closeFrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        guard result == 0 else { return .failure(SystemCallError(call: "posix_spawn \(argv[0])", code: result)) }
        return .success(pid)
    }
}

/// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), which Swift's Glibc
/// module does not export because it is a GNU extension.
private let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()

/// A command's output, read to the end on a thread of its own.
private final class CollectedOutput: @unchecked Sendable {
    // Guarded by `condition`.
    private var data: [UInt8]?
    private let condition = NSCondition()
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func read(_ descriptor: Int32) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            // Bounded; the rest is read and dropped so the command can finish.
            if bytes.count < limit { bytes += buffer[..<min(count, limit - bytes.count)] }
        }
        close(descriptor)
        condition.withLock {
            data = bytes
            condition.signal()
        }
    }

    /// For output there is none of: nothing to read.
    func finishEmpty() {
        condition.withLock {
            data = []
            condition.signal()
        }
    }

    func wait() -> [UInt8] {
        condition.withLock {
            while data == nil { condition.wait() }
            return data ?? []
        }
    }
}
