import Foundation

/// Turns reload signals (SIGHUP, SIGUSR1) into bytes on a pipe the main loop polls.
///
/// libmilter's own signal thread sigwaits on SIGHUP and treats it as "stop". Linux delivers
/// a process-directed signal to the main thread when that thread does not block it and has
/// no other signal pending; otherwise it may pick the sigwait thread. So the main thread
/// keeps SIGHUP unblocked with a handler that only writes to the pipe (async-signal-safe),
/// SA_NODEFER keeps a burst from being blocked mid-handler, and SIGUSR1 is blocked
/// everywhere and taken by a thread of its own, so it can never be the pending signal that
/// pushes a SIGHUP to libmilter. SIGTERM and SIGINT are blocked here so that libmilter's
/// thread receives them and stops the milter.
public enum SignalPipe {
    /// Read end; readable whenever a reload signal has arrived since the last drain.
    public private(set) nonisolated(unsafe) static var readDescriptor: Int32 = -1
    /// Written only by the handler; set once before the handler is installed.
    nonisolated(unsafe) static var writeDescriptor: Int32 = -1

    /// Call on the main thread before any other thread starts, so every thread inherits
    /// SIGTERM/SIGINT blocked.
    public static func install() throws(SystemCallError) {
        // Non-blocking both ways: the handler must never block, even on a full pipe.
        let signalPipe = try Pipe(nonBlocking: true)
        readDescriptor = signalPipe.readEnd
        writeDescriptor = signalPipe.writeEnd

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            let saved = errno
            _ = write(SignalPipe.writeDescriptor, &byte, 1)
            errno = saved
        }
        action.sa_flags = SA_RESTART | SA_NODEFER
        sigemptyset(&action.sa_mask)
        guard sigaction(SIGHUP, &action, nil) == 0 else { throw .last("sigaction(SIGHUP)") }

        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGINT)
        sigaddset(&blocked, SIGUSR1)
        let status = pthread_sigmask(SIG_BLOCK, &blocked, nil)
        guard status == 0 else { throw SystemCallError(call: "pthread_sigmask", code: status) }
        var hangup = sigset_t()
        sigemptyset(&hangup)
        sigaddset(&hangup, SIGHUP)
        _ = pthread_sigmask(SIG_UNBLOCK, &hangup, nil)
        startUserSignalThread()
    }

    private static func startUserSignalThread() {
        let thread = Thread {
            var waited = sigset_t()
            sigemptyset(&waited)
            sigaddset(&waited, SIGUSR1)
            var received: Int32 = 0
            while true {
                guard sigwait(&waited, &received) == 0 else { continue }
                var byte: UInt8 = 1
                _ = write(writeDescriptor, &byte, 1)
            }
        }
        thread.name = "gannet-sigusr1"
        thread.start()
    }

    /// Empties the pipe; returns how many signals were coalesced into this wake-up.
    public static func drain() -> Int {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(readDescriptor, &buffer, buffer.count)
            if count <= 0 { return total }
            total += count
        }
    }
}
