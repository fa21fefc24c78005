import Features

/// One message for training: its vector and whether it is an attack (spam or phishing).
public struct TrainingExample: Sendable {
    public var vector: FeatureVector
    public let isAttack: Bool
    public let location: String
    /// How much the example counts in training (classes are balanced through it).
    public var weight: Double

    public init(vector: FeatureVector, isAttack: Bool, location: String, weight: Double = 1) {
        self.vector = vector
        self.isAttack = isAttack
        self.location = location
        self.weight = weight
    }
}
