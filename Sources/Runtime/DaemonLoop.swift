import Foundation
import Logging

/// The daemon's main thread after start-up: waits for reload signals, the milter thread's
/// exit and watchdog deadlines, and acts on them. Runs until the milter stops.
public struct DaemonLoop {
    private let reloader: ReloadCoordinator
    private let notifier: any ServiceNotifier
    private let logger: Logger
    private let exitRead: Int32
    private let exitWrite: Int32

    public init(reloader: ReloadCoordinator, notifier: any ServiceNotifier, logger: Logger) throws(SystemCallError) {
        let exitPipe = try Pipe(nonBlocking: false)
        self.exitRead = exitPipe.readEnd
        self.exitWrite = exitPipe.writeEnd
        self.reloader = reloader
        self.notifier = notifier
        self.logger = logger
    }

    /// Hand this to the milter thread: it reports smfi_main's status here.
    public var exitReporter: @Sendable (Int32) -> Void {
        let descriptor = exitWrite
        return { status in
            var value = status
            _ = write(descriptor, &value, MemoryLayout<Int32>.size)
        }
    }

    /// Blocks until the milter exits; returns its status.
    public func run() -> Int32 {
        let timeoutMilliseconds = notifier.watchdogInterval.map { Int32(clamping: $0.wholeMilliseconds) } ?? -1
        var descriptors = [
            pollfd(fd: SignalPipe.readDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: exitRead, events: Int16(POLLIN), revents: 0),
        ]
        notifier.watchdog()
        while true {
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
            if ready < 0, errno != EINTR {
                logger.critical("poll failed in the main loop", metadata: ["error": "\(SystemCallError.last("poll"))"])
            }
            notifier.watchdog()
            if descriptors[1].revents != 0 {
                var status: Int32 = 0
                _ = read(exitRead, &status, MemoryLayout<Int32>.size)
                notifier.stopping(status: "stopping")
                logger.notice("milter stopped", metadata: ["status": "\(status)"])
                return status
            }
            if descriptors[0].revents != 0 {
                // A burst of signals coalesces into one reload: the file is read once anyway.
                let signals = SignalPipe.drain()
                logger.info("reload requested", metadata: ["signals": "\(signals)"])
                reloader.reload()
            }
        }
    }
}
