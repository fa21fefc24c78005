import Baselines
import Features

/// One message in a simulated tenant's mail: who sent it to whom and when, what its final
/// verdict taught the baselines, and which message it carries, if any.
public struct TenantEvent: Sendable, Equatable {
    /// Whose mail it is, in the communication graph's terms.
    public enum Kind: String, Sendable, CaseIterable {
        /// A user writing out (learned, never scored): what makes a contact's answer a reply.
        case outgoing = "outgoing"
        case colleague = "colleague"
        case contact = "contact"
        case newsletter = "newsletter"
        case coldContact = "cold first contact"
        /// A known correspondent writing from another address of theirs (a personal account).
        case knownNameNewAddress = "known name, new address"
        case spamFirstContact = "spam, first contact"
        /// A spam sender seen before, with flagged history only.
        case spamRepeatSender = "spam, repeat sender"
        case phishFirstContact = "phishing, first contact"
        case phishLookalikeDomain = "phishing, lookalike domain"
        /// A known correspondent's display name from an address it never used.
        case phishDisplayName = "phishing, known display name"
        /// A known contact's own account, taken over.
        case phishCompromisedAccount = "phishing, compromised account"
        case executiveImpersonation = "executive impersonation"
        case lookalikeVendor = "lookalike vendor"
        case freshDomainFraud = "fresh-domain payment fraud"

        /// Injected into a test stream with generated content, never from the corpus.
        public static let injected: [Kind] = [.executiveImpersonation, .lookalikeVendor, .freshDomainFraud]
    }

    /// The message an event carries.
    public enum Content: Sendable, Hashable {
        /// Background traffic: it only warms the store.
        case none
        /// The corpus message at this index of the stream's labels.
        case corpus(Int)
        /// The generated message at this index of `TenantStream.injected`.
        case injected(Int)
    }

    public let kind: Kind
    public let message: BaselineQuery
    public let content: Content
    /// The final verdict the store learns after the lookup.
    public let outcome: BaselineObservation.Outcome
}
