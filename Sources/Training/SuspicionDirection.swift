import Features

/// Which way each feature may move a trained model's score. Most features count signs of an
/// attack, so more of one may only raise the score: the model cannot learn, from a corpus
/// whose ham happens to carry some mark, that missing it is suspicious. Passed
/// authentication and consistency only lower it, and so does standing with the baselines
/// (a known, older, cleaner sender or pair); size-like features go either way, and so do the
/// recipient's own volume and mix, whether a display name is known (a known name is what
/// impersonation borrows), and whether a store answered at all.
/// Marks of bulk mail are not model inputs at all (`ModelTrainer.bulkMarkers`).
enum SuspicionDirection {
    static let lowering: Set<Feature> = [
        .spfPass, .dkimPass, .dmarcPass, .urlFromDomainShare, .urlSenderAlignedShare,
        .senderKnown, .senderAgeDays, .senderMessages, .senderCleanShare, .senderDistinctRecipients,
        .domainKnown, .domainAgeDays, .domainMessages, .domainCleanShare, .pairMinimumMessages, .pairReplyShare,
    ]
    static let either: Set<Feature> = [
        .authResultsTrusted, .textBytes, .sizeBytes, .receivedHops,
        .recipientMessages, .recipientFirstContactShare, .displayNameKnown, .baselinesAnswered, .storeFallback,
    ]

    /// +1 or −1 per constrained feature, for `BoostedTreesTrainer.monotone`.
    static func monotone(_ features: [Feature]) -> [Feature: Int] {
        var directions: [Feature: Int] = [:]
        for feature in features where !either.contains(feature) { directions[feature] = lowering.contains(feature) ? -1 : 1 }
        return directions
    }
}
