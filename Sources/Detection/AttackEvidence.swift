import Features

/// Families of evidence that a message attacks its reader, as against signs that it is
/// unsolicited or commercial. Legitimate bulk mail (newsletters, notifications, receipts) is
/// tagged rather than quarantined unless one of these is present (`BulkMail`), and evaluation
/// reports name what a missed attack lacked in these terms.
public enum AttackEvidence: String, Sendable, CaseIterable, Codable {
    /// Forms, password inputs, or credential and wallet-recovery wording.
    case credentialHarvest = "credential_harvest"
    /// Links that hide or disguise where they go.
    case deceptiveLink = "deceptive_link"
    /// A brand, protected person, lookalike domain or foreign address in the sender's name.
    case impersonation
    /// A sender or bounce domain with a machine-made name, as throwaway domains have.
    case throwawaySender = "throwaway_sender"
    /// A trusted SPF, DKIM or DMARC failure for the claimed sender.
    case authenticationFailure = "authentication_failure"
    /// Programs, macro documents, HTML, disk images, shortcuts, disguised names.
    case dangerousAttachment = "dangerous_attachment"
    /// Payment or invoice wording from a sender the recipients have never had clean mail from.
    case firstContactPayment = "first_contact_payment"
    /// Account threats, extortion and gift-card requests.
    case pressure

    /// The features any of which, above zero, shows this family (`firstContactPayment` also
    /// needs the baselines to say the sender is a first contact).
    public var features: [Feature] {
        switch self {
        case .credentialHarvest: [.htmlPasswordInputs, .htmlForms, .phraseCredentials]
        case .deceptiveLink: [.urlAnchorMismatch, .urlUserInfo, .urlIPHost, .urlLookalike, .urlDataScheme, .urlJavascriptScheme, .metaRefresh, .urlShortener]
        case .impersonation: [.displayNameBrand, .displayNameProtected, .fromDomainLookalike, .displayNameAddressMismatch, .displayNameNewAddress]
        case .throwawaySender: [.senderDomainGenerated]
        case .authenticationFailure: [.spfFail, .dkimFail, .dmarcFail]
        case .dangerousAttachment:
            [.attachmentExecutable, .attachmentMacroOffice, .attachmentHTML, .attachmentDiskImage, .attachmentShortcut,
             .attachmentDoubleExtension, .attachmentTypeMismatch, .archiveWithExecutable, .archiveEncrypted]
        case .firstContactPayment: [.phrasePayment, .phraseInvoice]
        case .pressure: [.phraseAccountProblem, .phraseExtortion, .phraseGiftCard]
        }
    }

    /// The families the vector shows, in declaration order.
    public static func present(in vector: FeatureVector) -> [AttackEvidence] {
        allCases.filter { family in
            guard family.features.contains(where: { vector[$0] > 0 }) else { return false }
            return family != .firstContactPayment || (vector[.baselinesAnswered] > 0 && vector[.pairFirstContactShare] > 0)
        }
    }
}
