import Features

extension FeatureVector {
    /// The vector with one group's features zeroed (text also loses its n-grams): what a
    /// model sees of a message without that group's signal.
    func without(_ group: FeatureGroup) -> FeatureVector {
        var stripped = self
        for definition in FeatureSchema.definitions where definition.group == group { stripped[definition.feature] = 0 }
        if group == .text { stripped.ngrams = [] }
        return stripped
    }

    /// The vector as a daemon without baselines sees it: the behaviour block all zero,
    /// `baselines_answered` included.
    var baselinesOff: FeatureVector { without(.behaviour) }
}
