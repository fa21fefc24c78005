import Detection
import Features

/// Model files in either form. Decoding and validation either refuse the bytes or give a
/// model that scores; a validated model must survive a compact round trip unchanged.
enum ModelTarget {
    static func run(_ bytes: [UInt8]) {
        guard let document = try? ModelFile.decode(bytes), let model = try? CompiledModel(document) else { return }
        var loud = FeatureVector()
        for feature in Feature.allCases { loud[feature] = 1 }
        for vector in [FeatureVector(), loud] {
            _ = model.scoreInline(vector, explain: true)
            _ = model.scoreFull(vector, explain: true)
        }
        let again = try? CompactModelFile.decode(CompactModelFile.encode(document))
        precondition(again == document, "a validated model changed in a compact round trip")
    }
}
