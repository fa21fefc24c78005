import Detection

/// Where Gannet falls short on a labelled corpus, in named groups a person can act on: the
/// attacks it accepted and the ham it quarantined, grouped so that one cause shows up as one
/// line with a count rather than as hundreds of messages. The largest gap comes first.
public struct CapabilityGapReport: Codable, Sendable, Equatable {
    /// One group of mistakes with a common shape.
    public struct Gap: Codable, Sendable, Equatable {
        /// What the members have in common, in words: "phishing from phishing_pot accepted with
        /// no attack evidence", "ham from usrp-users quarantined, led by TRACKING_PIXELS".
        public let name: String
        /// "missed attack" or "false positive" (`missedAttack`, `falsePositive`).
        public let kind: String
        /// The attack category; "ham" for false positives.
        public let category: String
        public let source: String
        /// The reasons most often among the members' top two, most frequent first.
        public let leadingReasons: [String]
        /// Missed attacks only: the evidence families (`AttackEvidence`) the members lack.
        public let missingEvidence: [String]
        public let count: Int
        /// The first two members' paths, in input order.
        public let examples: [String]
    }

    /// A missed attack: an attack whose final decision was accept.
    public static let missedAttack = "missed attack"
    /// A false positive: ham whose final decision was quarantine.
    public static let falsePositive = "false positive"

    /// Largest first; equal sizes by name.
    public let gaps: [Gap]

    /// Groups false positives by source and top reason, and missed attacks by category, source
    /// and the evidence they carried: none at all needs new features, some needs more weight.
    public init(_ outcomes: [Evaluation.Outcome]) {
        var groups: [Key: [Evaluation.Outcome]] = [:]
        var order: [Key] = []
        for outcome in outcomes {
            guard let key = Key(outcome) else { continue }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(outcome)
        }
        gaps = order.map { Self.gap($0, groups[$0]!) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }

    /// What the members of one gap share.
    struct Key: Hashable {
        let kind: String
        let category: String
        let source: String
        /// A false positive's top reason (nil when it has none); a missed attack's evidence.
        let reason: String?
        let evidence: [String]
        /// A missed attack that bulk tagging delivered (`BulkMail.deliveredReason`), as
        /// against one its score let through.
        let deliveredAsBulk: Bool

        /// Nil when the outcome is no mistake.
        init?(_ outcome: Evaluation.Outcome) {
            if outcome.label == "ham" {
                guard outcome.decision == "quarantine" else { return nil }
                (kind, reason, evidence) = (CapabilityGapReport.falsePositive, outcome.reasons.first, [])
            } else {
                guard outcome.decision == "accept" else { return nil }
                (kind, reason, evidence) = (CapabilityGapReport.missedAttack, nil, outcome.evidence)
            }
            category = outcome.category
            source = outcome.source
            deliveredAsBulk = kind == CapabilityGapReport.missedAttack && outcome.reasons.first == BulkMail.deliveredReason
        }

        var name: String {
            let from = source.isEmpty ? "" : " from \(source)"
            if kind == CapabilityGapReport.falsePositive {
                return "ham\(from) quarantined, " + (reason.map { "led by \($0)" } ?? "with no reason given")
            }
            let shape = evidence.isEmpty ? "no attack evidence" : "evidence \(evidence.joined(separator: ", ")) but below threshold"
            return "\(category)\(from) \(deliveredAsBulk ? "delivered as bulk" : "accepted") with \(shape)"
        }
    }

    private static func gap(_ key: Key, _ members: [Evaluation.Outcome]) -> Gap {
        var tally: [String: Int] = [:]
        for member in members {
            for reason in member.reasons.prefix(2) { tally[reason, default: 0] += 1 }
        }
        let leading = tally.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(2).map(\.key)
        let missing = key.kind == missedAttack ? AttackEvidence.allCases.map(\.rawValue).filter { !key.evidence.contains($0) } : []
        return Gap(name: key.name, kind: key.kind, category: key.category, source: key.source,
                   leadingReasons: leading, missingEvidence: missing, count: members.count, examples: members.prefix(2).map(\.path))
    }
}
