import CMilter
import FilterCore
import Foundation
import Runtime
import Synchronization

/// The environment new connections are attached to; set once by `MilterServer` before
/// libmilter starts accepting. Later callbacks reach it through their session.
let installedEnvironment = Mutex<MilterEnvironment?>(nil)

/// The libmilter callbacks. Each copies its C arguments into Swift values at once, finds the
/// session through smfi_getpriv, runs one phase of the `ConnectionFilter` and translates the
/// reply. No pointer outlives the callback.
enum MilterCallbacks {
    static func session(_ context: OpaquePointer?) -> MilterSession? {
        guard let context, let raw = smfi_getpriv(context) else { return nil }
        return Unmanaged<MilterSession>.fromOpaque(raw).takeUnretainedValue()
    }

    /// `verdictID`: named in a tempfail's reply text, so a sender's bounce leads to the verdict.
    static func status(_ reply: MilterReply, context: OpaquePointer?, verdictID: String? = nil) -> sfsistat {
        switch reply {
        case .continue: return sfsistat(SMFIS_CONTINUE)
        case .accept: return sfsistat(SMFIS_ACCEPT)
        case .reject: return sfsistat(SMFIS_REJECT)
        case .discard: return sfsistat(SMFIS_DISCARD)
        case .tempfail:
            if let context {
                LibmilterContext(context: context).setReply(code: "451", extendedCode: "4.7.1",
                                                            message: "Gannet could not check this message; try again later" + (verdictID.map { " (verdict \($0))" } ?? ""))
            }
            return sfsistat(SMFIS_TEMPFAIL)
        }
    }

    /// A callback without its session: libmilter lost our state, which only an internal bug
    /// can cause. The current failure policy answers.
    static func missingSession(_ context: OpaquePointer?, phase: String) -> sfsistat {
        let environment = installedEnvironment.withLock { $0 }
        environment?.metrics.internalError("missing_session")
        environment?.logger.error("milter callback without session state", metadata: ["phase": "\(phase)"])
        let action = environment?.store.snapshot.policy.onInternalError ?? .tempfail
        return status(action.reply, context: context)
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func arguments(_ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String] {
        guard let argv else { return [] }
        var values: [String] = []
        var index = 0
        while let argument = argv[index] {
            values.append(String(cString: argument))
            index += 1
        }
        return values
    }

    static func describe(_ address: UnsafeMutablePointer<sockaddr>?) -> String {
        guard let address else { return "unknown" }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                _ = inet_ntop(AF_INET, &inet.pointee.sin_addr, &text, socklen_t(text.count))
            }
        case AF_INET6:
            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { inet6 in
                _ = inet_ntop(AF_INET6, &inet6.pointee.sin6_addr, &text, socklen_t(text.count))
            }
        case AF_UNIX:
            return "local"
        default:
            return "unknown"
        }
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Protocol steps Gannet asks Postfix to skip or not to wait for: every phase before end
    /// of message only gathers evidence and always continues, so each saved round trip is
    /// pure throughput.
    static let wantedSteps = UInt(SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_EOH
        | SMFIP_NR_BODY | SMFIP_NOUNKNOWN | SMFIP_NODATA)
    static let wantedActions = UInt(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE)

    /// The first callback of a connection (milter protocol 6): agree on actions and steps,
    /// and attach the session.
    static let negotiate: @convention(c) (OpaquePointer?, UInt, UInt, UInt, UInt, UnsafeMutablePointer<UInt>?, UnsafeMutablePointer<UInt>?, UnsafeMutablePointer<UInt>?, UnsafeMutablePointer<UInt>?) -> sfsistat = {
        context, offeredActions, offeredSteps, _, _, actions, steps, _, _ in
        guard let context, let environment = installedEnvironment.withLock({ $0 }) else { return sfsistat(SMFIS_REJECT) }
        guard offeredActions & wantedActions == wantedActions else {
            environment.logger.critical("Postfix does not offer the milter actions Gannet needs", metadata: ["offered": "\(offeredActions)"])
            return sfsistat(SMFIS_REJECT)
        }
        let agreed = offeredSteps & wantedSteps
        actions?.pointee = wantedActions
        steps?.pointee = agreed
        guard attach(MilterSession(environment: environment, noReplySteps: agreed), to: context) else {
            return sfsistat(SMFIS_REJECT)
        }
        return sfsistat(SMFIS_CONTINUE)
    }

    static func attach(_ session: MilterSession, to context: OpaquePointer) -> Bool {
        let retained = Unmanaged.passRetained(session)
        guard smfi_setpriv(context, retained.toOpaque()) == MI_SUCCESS else {
            retained.release()
            return false
        }
        session.environment.metrics.sessionOpened()
        return true
    }

    /// A phase's reply, or no reply at all where Postfix agreed not to wait for one.
    static func status(_ reply: MilterReply, step: Int, session: MilterSession, context: OpaquePointer?) -> sfsistat {
        if reply == .continue, session.noReplySteps & UInt(step) != 0 { return sfsistat(SMFIS_NOREPLY) }
        return status(reply, context: context)
    }

    static let connect: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<sockaddr>?) -> sfsistat = { context, host, address in
        guard let context, let environment = installedEnvironment.withLock({ $0 }) else {
            return missingSession(context, phase: "connect")
        }
        // An MTA that skips negotiation gets a session here, with replies to every step.
        if session(context) == nil, !attach(MilterSession(environment: environment, noReplySteps: 0), to: context) {
            return missingSession(context, phase: "connect")
        }
        guard let session = session(context) else { return missingSession(context, phase: "connect") }
        let reply = session.filter.withLock { $0.connect(host: string(host), address: describe(address)) }
        return status(reply, step: Int(SMFIP_NR_CONN), session: session, context: context)
    }

    static let helo: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?) -> sfsistat = { context, name in
        guard let session = session(context) else { return missingSession(context, phase: "helo") }
        let name = string(name)
        return status(session.filter.withLock { $0.helo(name) }, step: Int(SMFIP_NR_HELO), session: session, context: context)
    }

    static let envelopeFrom: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> sfsistat = { context, argv in
        guard let context, let session = session(context) else { return missingSession(context, phase: "envfrom") }
        let values = arguments(argv)
        let environment = session.environment
        let snapshot = environment.store.snapshot
        let milter = LibmilterContext(context: context)
        // {daemon_name} is a connect macro; libmilter still answers it here.
        let originating = !(milter.macro("{auth_authen}") ?? "").isEmpty || environment.originatingDaemonNames.contains(milter.macro("{daemon_name}") ?? "")
        let receivedAt = Int64(Date().timeIntervalSince1970)
        return status(session.filter.withLock { $0.mailFrom(arguments: values, snapshot: snapshot, receivedAt: receivedAt, originating: originating, captureBudget: environment.captureBudget) },
                      step: Int(SMFIP_NR_MAIL), session: session, context: context)
    }

    static let envelopeRecipient: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> sfsistat = { context, argv in
        guard let session = session(context) else { return missingSession(context, phase: "envrcpt") }
        let values = arguments(argv)
        return status(session.filter.withLock { $0.rcptTo(arguments: values) }, step: Int(SMFIP_NR_RCPT), session: session, context: context)
    }

    static let header: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<CChar>?) -> sfsistat = { context, name, value in
        guard let session = session(context) else { return missingSession(context, phase: "header") }
        let name = string(name)
        let value = string(value)
        return status(session.filter.withLock { $0.header(name: name, value: value) }, step: Int(SMFIP_NR_HDR), session: session, context: context)
    }

    static let endOfHeaders: @convention(c) (OpaquePointer?) -> sfsistat = { context in
        guard let session = session(context) else { return missingSession(context, phase: "eoh") }
        return status(session.filter.withLock { $0.endOfHeaders() }, step: Int(SMFIP_NR_EOH), session: session, context: context)
    }

    static let body: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, Int) -> sfsistat = { context, bytes, length in
        guard let session = session(context) else { return missingSession(context, phase: "body") }
        // The chunk is read in place; nothing keeps the pointer past this call.
        let chunk = UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length)
        return status(session.filter.withLock { $0.body(chunk) }, step: Int(SMFIP_NR_BODY), session: session, context: context)
    }

    static let endOfMessage: @convention(c) (OpaquePointer?) -> sfsistat = { context in
        guard let context, let session = session(context) else { return missingSession(context, phase: "eom") }
        let milter = LibmilterContext(context: context)
        let queueID = milter.macro("i")
        let started = ContinuousClock.now
        let (outcome, failure) = session.filter.withLock { filter in
            let failure = filter.failureAction
            return (filter.endOfMessage(queueID: queueID, baselines: session.environment.baselines, canaries: session.environment.canaries) { ContinuousClock.now - started }, failure)
        }
        let elapsed = ContinuousClock.now - started
        let (admitted, refusal) = session.environment.admitDeferred(outcome, failure: failure)
        if let refusal { return status(refusal, context: context, verdictID: outcome.verdictID) }
        let carried = milter.carryOut(admitted, onFailure: failure)
        session.environment.record(admitted, carried: carried, inlineSeconds: elapsed.seconds, session: session)
        return status(carried.reply, context: context, verdictID: admitted.verdictID)
    }

    static let abort: @convention(c) (OpaquePointer?) -> sfsistat = { context in
        guard let session = session(context) else { return sfsistat(SMFIS_CONTINUE) }
        session.filter.withLock { $0.abort() }
        return sfsistat(SMFIS_CONTINUE)
    }

    static let close: @convention(c) (OpaquePointer?) -> sfsistat = { context in
        // close also follows a connect that never got a session; then there is nothing to free.
        guard let context, let raw = smfi_getpriv(context) else { return sfsistat(SMFIS_CONTINUE) }
        _ = smfi_setpriv(context, nil)
        let session = Unmanaged<MilterSession>.fromOpaque(raw).takeRetainedValue()
        session.environment.metrics.sessionClosed()
        return sfsistat(SMFIS_CONTINUE)
    }
}
