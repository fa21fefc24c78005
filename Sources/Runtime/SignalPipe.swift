import Foundation

/// Turns reload signals (SIGHUP, SIGUSR1) into bytes on a pipe the main loop polls.
///
/// libmilter's own signal thread sigwaits on SIGHUP and treats it as "stop". Linux delivers
/// a process-directed signal to the main thread first when that thread does not block it, so
/// the main thread keeps these signals unblocked with a handler that only writes to the pipe
/// (async-signal-safe), and SA_NODEFER keeps a burst from being blocked mid-handler and
/// falling through to the sigwait thread. SIGTERM and SIGINT are blocked here so that
/// libmilter's thread receives them and stops the milter.
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
        for signal in [SIGHUP, SIGUSR1] {
            guard sigaction(signal, &action, nil) == 0 else { throw .last("sigaction(\(signal))") }
        }

        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        let status = pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        guard status == 0 else { throw SystemCallError(call: "pthread_sigmask", code: status) }
        var reloadSignals = sigset_t()
        sigemptyset(&reloadSignals)
        sigaddset(&reloadSignals, SIGHUP)
        sigaddset(&reloadSignals, SIGUSR1)
        _ = pthread_sigmask(SIG_UNBLOCK, &reloadSignals, nil)
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
