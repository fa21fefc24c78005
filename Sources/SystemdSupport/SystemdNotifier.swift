import CSystemd
import Foundation
import Runtime

/// sd_notify for Type=notify services. Without NOTIFY_SOCKET every call is a no-op, so the
/// daemon runs the same way in a terminal.
public struct SystemdNotifier: ServiceNotifier {
    public let watchdogInterval: Duration?

    public init() {
        var microseconds: UInt64 = 0
        // Half the configured period, as sd_watchdog_enabled(3) recommends.
        if sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 {
            watchdogInterval = .microseconds(Int64(microseconds / 2))
        } else {
            watchdogInterval = nil
        }
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func reloading(status: String) {
        send("RELOADING=1\nSTATUS=\(status)\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
    }
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { send("WATCHDOG=1") }

    private func send(_ state: String) {
        // Newlines inside a status would start a new assignment.
        let sanitized = state.split(separator: "\n").map { $0.replacingOccurrences(of: "\r", with: " ") }.joined(separator: "\n")
        _ = sd_notify(0, sanitized)
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
