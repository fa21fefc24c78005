/// What a milter callback answers Postfix.
public enum MilterReply: String, Sendable, Equatable {
    /// Go on with this message (at end of message: deliver it, with any modifications).
    case `continue`
    /// Accept the message without further callbacks.
    case accept
    case reject
    /// 4xx: the client keeps the message and retries.
    case tempfail
    case discard
}

/// What a session gets when Gannet itself fails (an internal error or a timeout): either the
/// client retries later, or the message goes through unscored.
public enum FailureAction: String, Sendable, Equatable, CaseIterable {
    case tempfail
    case accept

    public var reply: MilterReply {
        switch self {
        case .tempfail: .tempfail
        case .accept: .accept
        }
    }
}
