import FilterCore
import Synchronization

/// One SMTP connection's state, owned by libmilter through smfi_setpriv: retained at
/// connect, released at close. libmilter calls one connection's callbacks one at a time but
/// on different threads; the mutex makes that hand-over explicit and costs nothing uncontended.
final class MilterSession: Sendable {
    let environment: MilterEnvironment
    let filter = Mutex(ConnectionFilter())

    init(environment: MilterEnvironment) {
        self.environment = environment
    }

    var clientAddress: String { filter.withLock { $0.clientAddress } }
}
