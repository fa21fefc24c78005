import Features

/// Legitimate-looking bulk mail — newsletters, notifications, receipts, mailing lists: an
/// unsubscribe mechanism that the sender (or its email service provider) runs, most links
/// staying with the sender, and no attachment but PDFs. Such mail is tagged with category
/// `bulk`; without `AttackEvidence` it is accepted whatever its content score, since marks of
/// bulk mail and commercial wording are no evidence of an attack (`detection.bulk`).
public enum BulkMail {
    /// Share of links that must stay with the sender.
    public static let minimumAlignedLinkShare = 0.5

    public static func isBulk(_ vector: FeatureVector) -> Bool {
        let sendersOwnUnsubscribe = vector[.unsubscribeAligned] > 0
            || (vector[.urlUnsubscribe] > 0 && (vector[.dkimAligned] > 0 || vector[.bounceAligned] > 0))
        return sendersOwnUnsubscribe && vector[.urlSenderAlignedShare] >= minimumAlignedLinkShare
            && vector[.attachmentCount] <= vector[.attachmentPDF]
    }
}
