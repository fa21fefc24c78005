/// The one seam in front of every libmilter call. MilterBridge implements it with `smfi_*`;
/// `RecordingMilterContext` implements it for replay and tests.
public protocol MilterContext {
    /// A macro Postfix sent for the current phase, e.g. `i` (queue id) at end of message.
    func macro(_ name: String) -> String?
    func apply(_ modification: MessageModification) throws(MilterCallError)
}

/// A libmilter call that returned failure, or one made outside the phase that allows it.
public struct MilterCallError: Error, Equatable, CustomStringConvertible {
    public let call: String
    public let detail: String

    public init(call: String, detail: String) {
        self.call = call
        self.detail = detail
    }

    public var description: String { "\(call): \(detail)" }
}

extension MilterContext {
    /// Carries out modifications in order and stops at the first failure.
    public func apply(_ modifications: [MessageModification]) throws(MilterCallError) {
        for modification in modifications { try apply(modification) }
    }
}

/// How carrying out an end-of-message outcome went.
public struct CarriedOutcome: Sendable {
    public let reply: MilterReply
    /// The call that failed; the reply is then the failure action.
    public let error: MilterCallError?
}

extension MilterContext {
    /// Applies an end-of-message outcome. A failed call turns the reply into the failure action,
    /// because a half-modified message must not pass as if it were decided.
    public func carryOut(_ outcome: EndOfMessageOutcome, onFailure failure: FailureAction) -> CarriedOutcome {
        do throws(MilterCallError) {
            try apply(outcome.modifications)
            return CarriedOutcome(reply: outcome.reply, error: nil)
        } catch {
            return CarriedOutcome(reply: failure.reply, error: error)
        }
    }
}
