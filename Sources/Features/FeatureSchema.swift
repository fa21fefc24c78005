import Crypto
import MailParsing

/// What a feature is about; reports and ablations group by it.
public enum FeatureGroup: String, Sendable, CaseIterable {
    case header, authentication, url, text, attachment, structure
    /// Who writes to whom, from the baselines store; the extractor leaves these at 0.
    case behaviour
}

/// Whether the inline pass computes a feature. Full-only features need the whole message
/// (every byte of an archive); the inline vector leaves them at 0.
public enum FeatureCost: String, Sendable {
    case inline
    case full
}

/// One feature's description: its stable name, group, cost and one line of documentation.
public struct FeatureDefinition: Sendable {
    public let feature: Feature
    public let name: String
    public let group: FeatureGroup
    public let cost: FeatureCost
    public let summary: String
}

/// The ordered list of features with a digest that models are bound to.
public enum FeatureSchema {
    public static let definitions: [FeatureDefinition] = Feature.allCases.map { feature in
        let (group, cost, summary) = feature.description
        return FeatureDefinition(feature: feature, name: snakeCase(String(describing: feature)), group: group, cost: cost, summary: summary)
    }

    public static var count: Int { definitions.count }

    /// Bump when what a feature measures changes under the same name (2: "#!" scripts judged
    /// by name, text/HTML agreement as containment; 3: wallet-recovery wording counts as
    /// credential phrases, a link text and target that both belong with the sender are no
    /// mismatch), so models that learnt the old meaning are refused.
    public static let meaningVersion = 3

    /// SHA-256 over every feature's name, group and cost in order, the meaning version, and
    /// the hashed n-gram space: a model trained against another extractor is refused.
    public static let digest: String = {
        var hasher = SHA256()
        for definition in definitions {
            hasher.update(data: Array("\(definition.name):\(definition.group.rawValue):\(definition.cost.rawValue)\n".utf8))
        }
        hasher.update(data: Array("meaning:\(meaningVersion)\n".utf8))
        hasher.update(data: Array("ngrams:\(TextNGrams.bucketCount):\(TextNGrams.version)\n".utf8))
        return String(hasher.finalize().hex.prefix(16))
    }()

    public static func definition(named name: String) -> FeatureDefinition? {
        definitions.first { $0.name == name }
    }

    static func snakeCase(_ camel: String) -> String {
        var out = ""
        var previousWasUpper = false
        for (index, character) in camel.enumerated() {
            if character.isUppercase {
                // "urlIPHost" → "url_ip_host": an acronym stays one word.
                let next = camel.dropFirst(index + 1).first
                if index > 0, !previousWasUpper || (next?.isLowercase ?? false) { out += "_" }
                out += character.lowercased()
                previousWasUpper = true
            } else {
                out.append(character)
                previousWasUpper = false
            }
        }
        return out
    }
}
