import Detection
import FilterCore
import MailParsing
import Synchronization

/// The canaries in flight: the tokens Gannet issued, and what each step of the mail system
/// was seen doing with each canary. The milter claims a token once at end of message; the
/// hold verifier and the full pass report by queue id.
public final class CanaryBook: CanaryClaims {
    private let canaries = Mutex<[String: CanaryProgress]>([:])

    public init() {}

    /// A new token for a canary asking for `decision`: 128 random bits in hexadecimal.
    func issue(_ decision: Decision) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hex
        canaries.withLock { $0[token] = CanaryProgress(asked: decision) }
        return token
    }

    public func claim(_ token: String, queueID: String?) -> Decision? {
        canaries.withLock { canaries in
            guard var canary = canaries[token], !canary.claimed else { return nil }
            canary.claimed = true
            canary.queueID = queueID
            canaries[token] = canary
            return canary.asked
        }
    }

    /// The milter decided a canary: `held` when it asked Postfix to hold it, `carriedOut`
    /// when its reply and modifications went through.
    public func milterDecided(_ note: CanaryNote, verdictID: String?, held: Bool, carriedOut: Bool) {
        canaries.withLock { canaries in
            canaries[note.token]?.verdictID = verdictID
            canaries[note.token]?.held = held
            canaries[note.token]?.carriedOut = carriedOut
        }
    }

    /// The hold verifier's finding on a queue id, a canary's or not.
    public func holdChecked(queueID: String, result: HoldVerifier.Result) {
        update(queueID: queueID) { $0.hold = result }
    }

    /// `holdChecked` as the hold verifier's observer.
    public var holdObserver: @Sendable (String, HoldVerifier.Action, HoldVerifier.Result) -> Void {
        { [self] queueID, _, result in holdChecked(queueID: queueID, result: result) }
    }

    /// A canary's full verdict was carried out.
    public func fullVerdictCarriedOut(_ record: VerdictRecord) {
        update(queueID: record.queueID) { canary in
            canary.fullVerdictCarriedOut = true
            canary.releaseFoundNothing = record.detail == DeferredJobProcessor.releaseNotHeld
        }
    }

    private func update(queueID: String, _ change: (inout CanaryProgress) -> Void) {
        canaries.withLock { canaries in
            guard let (token, found) = canaries.first(where: { $0.value.queueID == queueID }) else { return }
            var canary = found
            change(&canary)
            canaries[token] = canary
        }
    }

    func progress(_ token: String) -> CanaryProgress? {
        canaries.withLock { $0[token] }
    }

    /// A finished canary's token is forgotten: claiming it again finds nothing.
    func forget(_ token: String) {
        _ = canaries.withLock { $0.removeValue(forKey: token) }
    }
}
