import Features

/// Families of attack evidence, as an analyst names what a message shows: the capability-gap
/// report uses them to tell a missed attack that carried nothing the features can see from one
/// that was seen and scored too low. A family is present when any of its features is above zero
/// in the message's full feature vector.
public enum AttackEvidence {
    /// Each family's name and the features that show it, in the order reports list them.
    public static let families: [(name: String, features: [Feature])] = [
        // A page that asks for a password: a login path, a form, a password field.
        ("credential_link", [.urlCredentialPath, .htmlPasswordInputs, .htmlForms]),
        // A link that hides where it goes.
        ("deceptive_link", [.urlAnchorMismatch, .urlUserInfo, .urlIPHost, .urlPunycode, .urlLookalike]),
        // A sender dressed as someone else: a brand, a protected name, a lookalike domain.
        ("impersonation", [.displayNameBrand, .displayNameProtected, .fromDomainLookalike, .displayNameAddressMismatch]),
        ("auth_failure", [.spfFail, .dkimFail, .dmarcFail]),
        ("dangerous_attachment", [.attachmentExecutable, .attachmentMacroOffice, .attachmentHTML, .attachmentDiskImage,
                                  .attachmentShortcut, .attachmentDoubleExtension, .archiveWithExecutable]),
        ("payment_request", [.phrasePayment, .phraseGiftCard, .phraseInvoice]),
        ("pressure", [.phraseUrgency, .phraseAccountProblem, .phraseExtortion]),
    ]

    /// The names of the families present in `vector`, in table order.
    public static func present(in vector: FeatureVector) -> [String] {
        families.filter { $0.features.contains { vector[$0] > 0 } }.map(\.name)
    }
}
