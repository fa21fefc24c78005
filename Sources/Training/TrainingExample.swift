import Features

/// One message for training: its vector and whether it is an attack (spam or phishing).
public struct TrainingExample: Sendable {
    public let vector: FeatureVector
    public let isAttack: Bool
    public let location: String

    public init(vector: FeatureVector, isAttack: Bool, location: String) {
        self.vector = vector
        self.isAttack = isAttack
        self.location = location
    }
}
