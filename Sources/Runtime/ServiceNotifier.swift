/// The service manager's view of the daemon (systemd's sd_notify in production).
public protocol ServiceNotifier: Sendable {
    /// The socket listens: the service is up.
    func ready(status: String)
    func reloading(status: String)
    func stopping(status: String)
    /// A one-line state for `systemctl status`.
    func status(_ text: String)
    /// Keep-alive for WatchdogSec.
    func watchdog()
    /// How often `watchdog()` must be called, or nil when no watchdog is armed.
    var watchdogInterval: Duration? { get }
}

/// For runs without a service manager.
public struct SilentServiceNotifier: ServiceNotifier {
    public init() {}
    public func ready(status: String) {}
    public func reloading(status: String) {}
    public func stopping(status: String) {}
    public func status(_ text: String) {}
    public func watchdog() {}
    public var watchdogInterval: Duration? { nil }
}
