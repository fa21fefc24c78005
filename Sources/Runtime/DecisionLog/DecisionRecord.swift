import Detection
import Features
import Foundation

/// One message as the milter decided it, a line of the decision log (`daemon.decision_log`):
/// what the verdict log, which has deferred messages only, does not record.
public struct DecisionRecord: Sendable, Codable, Equatable {
    public let queueID: String
    /// Seconds since the epoch.
    public let at: Double
    /// Final decision at end of message (`accept` or `quarantine`).
    public let decision: Decision
    /// What the inline pass decided (`defer`: handed to full scoring).
    public let inlineDecision: Decision
    public let score: Double
    public let category: ThreatCategory
    public let model: String
    public let reasons: [Reason]
    public let sender: String
    public let recipients: [String]
    public let sizeBytes: Int
    /// Time of the inline decision.
    public let inlineMicroseconds: Int
    /// The verdict's name (`VerdictID`); nil in a line written before verdicts had names.
    public let verdictID: String?
    /// The rules it was made with (`RuleSet.version`).
    public let rules: String?
    /// The behaviour features the baselines gave, the non-zero ones; nil when none answered.
    public let baselines: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case at, decision, score, category, model, reasons, sender, recipients, rules, baselines
        case verdictID = "verdict_id"
        case queueID = "queue_id"
        case inlineDecision = "inline_decision"
        case sizeBytes = "size"
        case inlineMicroseconds = "inline_us"
    }

    public init(queueID: String, at: Double, decision: Decision, inlineDecision: Decision, score: Double, category: ThreatCategory, model: String,
                reasons: [Reason], sender: String, recipients: [String], sizeBytes: Int, inlineMicroseconds: Int, verdictID: String? = nil,
                rules: String? = nil, baselines: [String: Double]? = nil) {
        self.verdictID = verdictID
        self.rules = rules
        self.baselines = baselines
        self.queueID = queueID
        self.at = at
        self.decision = decision
        self.inlineDecision = inlineDecision
        self.score = score
        self.category = category
        self.model = model
        self.reasons = reasons
        self.sender = sender
        self.recipients = recipients
        self.sizeBytes = sizeBytes
        self.inlineMicroseconds = inlineMicroseconds
    }

    /// Every record of a decision log; an absent log is empty, lines that do not decode are skipped.
    public static func read(log path: String) throws -> [DecisionRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let decoder = RecordJSON.decoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(DecisionRecord.self, from: Data($0)) }
    }
}

extension DecisionRecord {
    /// The behaviour features a store gave, by name, the non-zero ones; nil when none answered.
    public static func baselinesConsulted(_ features: FeatureVector) -> [String: Double]? {
        guard features[.baselinesAnswered] > 0 else { return nil }
        var consulted: [String: Double] = [:]
        for feature in Feature.behaviour where features[feature] != 0 { consulted[FeatureSchema.definitions[feature.rawValue].name] = features[feature] }
        return consulted
    }
}
