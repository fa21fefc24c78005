import Features

/// Which way each feature may move a trained model's score. Most features count signs of an
/// attack, so more of one may only raise the score: the model cannot learn, from a corpus
/// whose ham happens to carry some mark, that missing it is suspicious. Passed
/// authentication and consistency only lower it; size-like features go either way.
enum SuspicionDirection {
    static let lowering: Set<Feature> = [.spfPass, .dkimPass, .dmarcPass, .urlFromDomainShare, .textHTMLAgreement]
    static let either: Set<Feature> = [.authResultsTrusted, .textBytes, .sizeBytes, .receivedHops]

    /// +1 or −1 per constrained feature, for `BoostedTreesTrainer.monotone`.
    static func monotone(_ features: [Feature]) -> [Feature: Int] {
        var directions: [Feature: Int] = [:]
        for feature in features where !either.contains(feature) { directions[feature] = lowering.contains(feature) ? -1 : 1 }
        return directions
    }
}
