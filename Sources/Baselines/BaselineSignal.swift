/// Every behavioural signal, in a fixed order, each with one line saying what it measures
/// (as `Feature` does), so that they can join the feature schema as a block.
public enum BaselineSignal: Int, CaseIterable, Sendable {
    case senderKnown, senderAgeDays, senderMessages, senderCleanShare, senderDistinctRecipients
    case domainKnown, domainAgeDays, domainMessages, domainCleanShare
    case pairMinimumMessages, pairFirstContactShare, pairReplyShare
    case recipientMessages, recipientFirstContactShare, recipientQuarantineShare
    case displayNameKnown, displayNameNewAddress
    case storeFallback

    /// snake_case, as feature names are written.
    public var name: String {
        var result = ""
        for character in String(describing: self) {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    public var description: String {
        switch self {
        case .senderKnown: "the sender address has had mail end clean before"
        case .senderAgeDays: "days since the sender address's first clean message"
        case .senderMessages: "the sender address's clean messages, decayed and capped per day"
        case .senderCleanShare: "share of the sender address's decided messages that ended clean"
        case .senderDistinctRecipients: "distinct recipients the sender address wrote to on clean mail (estimate)"
        case .domainKnown: "the sender's registrable domain has had mail end clean before"
        case .domainAgeDays: "days since the sender domain's first clean message (domain age as seen by us)"
        case .domainMessages: "the sender domain's clean messages, decayed and capped per day"
        case .domainCleanShare: "share of the sender domain's decided messages that ended clean"
        case .pairMinimumMessages: "clean messages from this sender to its least familiar recipient, decayed"
        case .pairFirstContactShare: "share of recipients this sender has never written to on clean mail"
        case .pairReplyShare: "share of recipients that have written to this sender"
        case .recipientMessages: "mean decayed volume of mail the recipients receive"
        case .recipientFirstContactShare: "mean share of the recipients' external mail that was first contact"
        case .recipientQuarantineShare: "mean share of the recipients' mail that ended quarantined"
        case .displayNameKnown: "From's display name has come on clean mail before"
        case .displayNameNewAddress: "From's display name is known but never came from this address (impersonation)"
        case .storeFallback: "the shared store did not answer in budget; the local cache answered"
        }
    }
}

/// One message's behavioural signals, in `BaselineSignal` order.
public struct BaselineSignals: Sendable, Equatable {
    public var values: [Double]

    public init() {
        values = [Double](repeating: 0, count: BaselineSignal.allCases.count)
    }

    public subscript(signal: BaselineSignal) -> Double {
        get { values[signal.rawValue] }
        set { values[signal.rawValue] = newValue }
    }

    /// `(name, value)` pairs in signal order, for people and reports.
    public var named: [(name: String, value: Double)] {
        BaselineSignal.allCases.map { ($0.name, values[$0.rawValue]) }
    }
}
