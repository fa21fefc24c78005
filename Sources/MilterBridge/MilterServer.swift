import CMilter
import Foundation
import Runtime

/// Registers Gannet with libmilter, opens the listening socket and runs libmilter's loop on
/// a secondary thread, so the main thread stays free for reload signals (see `SignalPipe`).
public final class MilterServer: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case libmilter(String)
        case socketPermissions(SystemCallError)
        case unknownGroup(String)

        public var description: String {
            switch self {
            case .libmilter(let call): "\(call) failed (see libmilter's message above)"
            case .socketPermissions(let error): "setting socket permissions: \(error)"
            case .unknownGroup(let name): "socket group '\(name)' does not exist"
            }
        }
    }

    private let settings: MilterSettings

    /// Prepares libmilter and opens the socket. A stale socket file is removed first; the
    /// socket is created owner+group only (never world-writable) and given `socket_group`.
    public init(settings: MilterSettings, environment: MilterEnvironment) throws(Failure) {
        self.settings = settings
        installedEnvironment.withLock { $0 = environment }

        let name = strdup("gannet")
        var description = smfiDesc()
        description.xxfi_name = name
        description.xxfi_version = gannet_smfi_version()
        description.xxfi_flags = MilterCallbacks.wantedActions
        description.xxfi_negotiate = MilterCallbacks.negotiate
        description.xxfi_connect = MilterCallbacks.connect
        description.xxfi_helo = MilterCallbacks.helo
        description.xxfi_envfrom = MilterCallbacks.envelopeFrom
        description.xxfi_envrcpt = MilterCallbacks.envelopeRecipient
        description.xxfi_header = MilterCallbacks.header
        description.xxfi_eoh = MilterCallbacks.endOfHeaders
        description.xxfi_body = MilterCallbacks.body
        description.xxfi_eom = MilterCallbacks.endOfMessage
        description.xxfi_abort = MilterCallbacks.abort
        description.xxfi_close = MilterCallbacks.close
        guard smfi_register(description) == MI_SUCCESS else { throw .libmilter("smfi_register") }

        let connection = strdup(settings.socket.description)
        guard smfi_setconn(connection) == MI_SUCCESS else { throw .libmilter("smfi_setconn(\(settings.socket))") }
        guard smfi_setbacklog(Int32(settings.backlog)) == MI_SUCCESS else { throw .libmilter("smfi_setbacklog") }
        guard smfi_settimeout(Int32(settings.timeoutSeconds)) == MI_SUCCESS else { throw .libmilter("smfi_settimeout") }
        guard smfi_setdbg(Int32(settings.debugLevel)) == MI_SUCCESS else { throw .libmilter("smfi_setdbg") }

        // The socket is born with the process umask: keep "other" out from the first instant.
        let previousMask = umask(0o007)
        let opened = smfi_opensocket(true)
        umask(previousMask)
        guard opened == MI_SUCCESS else { throw .libmilter("smfi_opensocket(\(settings.socket))") }
        if let path = settings.socket.unixPath {
            try Self.restrict(socketAt: path, group: settings.socketGroup)
        }
    }

    private static func restrict(socketAt path: String, group: String) throws(Failure) {
        if !group.isEmpty {
            guard let entry = getgrnam(group) else { throw .unknownGroup(group) }
            var info = stat()
            guard stat(path, &info) == 0 else { throw .socketPermissions(.last("stat \(path)")) }
            // Under systemd a setgid socket directory already gives the group, and chown is
            // forbidden there (SystemCallFilter ~@privileged): only call it when needed.
            if info.st_gid != entry.pointee.gr_gid {
                guard chown(path, uid_t.max, entry.pointee.gr_gid) == 0 else { throw .socketPermissions(.last("chown \(path)")) }
            }
        }
        guard chmod(path, 0o660) == 0 else { throw .socketPermissions(.last("chmod \(path)")) }
    }

    /// Runs libmilter's accept loop on its own thread; `onExit` gets smfi_main's status when
    /// it returns (after SIGTERM/SIGINT or `stop()`).
    public func start(onExit: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            onExit(smfi_main())
        }
        thread.name = "gannet-milter"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Asks libmilter to stop accepting and return from smfi_main.
    public func stop() {
        _ = smfi_stop()
    }
}
