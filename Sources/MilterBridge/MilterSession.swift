import FilterCore
import Synchronization

/// One SMTP connection's state, owned by libmilter through smfi_setpriv: retained at
/// connect, released at close. libmilter calls one connection's callbacks one at a time but
/// on different threads; the mutex makes that hand-over explicit and costs nothing uncontended.
final class MilterSession: Sendable {
    let environment: MilterEnvironment
    let filter = Mutex(ConnectionFilter())
    /// The SMFIP_NR_* steps Postfix agreed not to wait for a reply on.
    let noReplySteps: UInt

    init(environment: MilterEnvironment, noReplySteps: UInt) {
        self.environment = environment
        self.noReplySteps = noReplySteps
    }

    var clientAddress: String { filter.withLock { $0.clientAddress } }
}
