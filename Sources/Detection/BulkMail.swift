import Features

/// Legitimate-looking bulk mail — newsletters, notifications, receipts, mailing lists: an
/// unsubscribe mechanism that the sender (or its email service provider) runs and that the
/// message offers the reader in its text, most links staying with the sender, a display name
/// that names the sender, and no attachment but PDFs. Such mail is tagged with category
/// `bulk`; without `AttackEvidence` it is accepted whatever its content score, since marks of
/// bulk mail and commercial wording are no evidence of an attack (`detection.bulk`).
public enum BulkMail {
    /// The reason that leads the verdict of bulk mail delivered without attack evidence.
    public static let deliveredReason = "BULK_WITHOUT_ATTACK_EVIDENCE"

    /// Share of links that must stay with the sender.
    public static let minimumAlignedLinkShare = 0.5

    public static func isBulk(_ vector: FeatureVector) -> Bool {
        let sendersOwnUnsubscribe = vector[.unsubscribeAligned] > 0
            || (vector[.urlUnsubscribe] > 0 && (vector[.dkimAligned] > 0 || vector[.bounceAligned] > 0))
        let offeredToTheReader = vector[.urlUnsubscribe] > 0 || vector[.phraseUnsubscribe] > 0
        return sendersOwnUnsubscribe && offeredToTheReader && vector[.urlSenderAlignedShare] >= minimumAlignedLinkShare && vector[.displayNameNamesSender] > 0
            && vector[.attachmentCount] <= vector[.attachmentPDF]
    }
}
