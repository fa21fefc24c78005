import Detection
import Features
import FilterCore
import Foundation
import Synchronization

/// Evaluates a detection snapshot (model, rules, lists) on a labelled corpus through the
/// daemon's own path: each message is replayed through the filter state machine (inline
/// pass), and deferred ones are decided by the full pass, as `gannet score` does.
public struct Evaluation: Sendable {
    public let snapshot: FilterSnapshot
    /// Worker threads; the outcomes are the same for any number.
    public var jobs = OrderedParallelWork.defaultJobs

    public init(snapshot: FilterSnapshot) {
        self.snapshot = snapshot
    }

    /// What happened to one message.
    public struct Outcome: Sendable, Codable {
        public let path: String
        public let label: String
        /// The corpus entry's source (the manifest's third column), "" when it has none.
        public let source: String
        /// Attack category from the manifest, else by the documented heuristic on the message's
        /// features (never the verdict).
        public let category: String
        public let score: Double
        /// The final verdict's log-odds: what evaluation ranks by, since scores tie at 1.0.
        public let logOdds: Double
        public let decision: String
        public let inlineDecision: String
        /// The full pass's decision, to measure inline/full agreement.
        public let fullDecision: String
        public let inlineMicroseconds: Double
        public let reasons: [String]
        /// The attack-evidence families (`AttackEvidence`) in the message's full feature vector.
        public let evidence: [String]

        public init(path: String, label: String, source: String, category: String, score: Double, logOdds: Double, decision: String, inlineDecision: String,
                    fullDecision: String, inlineMicroseconds: Double, reasons: [String], evidence: [String]) {
            self.path = path
            self.label = label
            self.source = source
            self.category = category
            self.score = score
            self.logOdds = logOdds
            self.decision = decision
            self.inlineDecision = inlineDecision
            self.fullDecision = fullDecision
            self.inlineMicroseconds = inlineMicroseconds
            self.reasons = reasons
            self.evidence = evidence
        }
    }

    public func outcomes(_ entries: [CorpusEntry], progress: @Sendable (Int, Int) -> Void = { _, _ in }) -> [Outcome] {
        evaluate(entries, keepingAttackVectors: false, progress: progress).map(\.outcome)
    }

    /// The outcomes, and the recall without each feature group (see `ablation`) over the
    /// same full vectors: every message is read and extracted once.
    public func outcomesAndAblation(_ entries: [CorpusEntry], progress: @Sendable (Int, Int) -> Void = { _, _ in }) -> (outcomes: [Outcome], ablation: [String: Double]) {
        let evaluated = evaluate(entries, keepingAttackVectors: true, progress: progress)
        return (evaluated.map(\.outcome), ablation(attacks: evaluated.compactMap(\.attackVector)))
    }

    private func evaluate(_ entries: [CorpusEntry], keepingAttackVectors: Bool,
                          progress: @Sendable (Int, Int) -> Void) -> [(outcome: Outcome, attackVector: FeatureVector?)] {
        let done = Atomic<Int>(0)
        let results = OrderedParallelWork.map(Array(entries.indices), jobs: jobs) { index -> (outcome: Outcome, attackVector: FeatureVector?)? in
            defer {
                let finished = done.add(1, ordering: .relaxed).newValue
                if finished % 256 == 0 || finished == entries.count { progress(finished, entries.count) }
            }
            guard case .success(let bytes) = CorpusReader.read(entries[index]) else { return nil }
            let (outcome, full) = evaluate(entries[index], bytes)
            return (outcome, keepingAttackVectors && entries[index].label != "ham" ? full : nil)
        }
        return results.compactMap { $0 }
    }

    func evaluate(_ entry: CorpusEntry, _ bytes: [UInt8]) -> (Outcome, FeatureVector) {
        let message = RawMessage(bytes: bytes)
        let result = MilterReplay(deriving: message).run(message, snapshot: snapshot)
        let evidence = result.outcome.evidence
        let full = message.fullFeatures(evidence: evidence, snapshot: snapshot)
        let fullVerdict = snapshot.engine.verdict(for: evidence, features: full, pass: .full)
        let inline = result.outcome.inlineDecision ?? .accept
        let final = inline == .defer ? fullVerdict : (result.outcome.verdict ?? fullVerdict)
        let category = entry.label == "ham" ? "ham" : !entry.category.isEmpty ? entry.category
            : entry.label == "spam" ? "spam" : DetectionEngine.category(fired: [], features: full).rawValue
        let outcome = Outcome(
            path: entry.location, label: entry.label, source: entry.source, category: category, score: final.score, logOdds: final.logOdds, decision: final.decision.rawValue,
            inlineDecision: inline.rawValue, fullDecision: fullVerdict.decision.rawValue,
            inlineMicroseconds: Double(result.decisionTime.components.seconds) * 1e6 + Double(result.decisionTime.components.attoseconds) / 1e12, reasons: final.reasons.map(\.name),
            evidence: AttackEvidence.present(in: full).map(\.rawValue)
        )
        return (outcome, full)
    }

    /// Recall at the shipped quarantine threshold with each feature group zeroed out (text
    /// also loses its n-grams): how much each group contributes. Behaviour is left out when
    /// no attack had baselines answered (scored with baselines off, there is none to remove).
    func ablation(attacks: [FeatureVector]) -> [String: Double] {
        guard let model = snapshot.engine.model else { return [:] }
        var result: [String: Double] = [:]
        let threshold = model.thresholds.quarantine
        func recall(_ transform: (FeatureVector) -> FeatureVector) -> Double {
            Double(attacks.filter { model.scoreFull(transform($0)).probability >= threshold }.count) / Double(max(1, attacks.count))
        }
        result["all"] = recall { $0 }
        let answered = attacks.contains { $0[.baselinesAnswered] > 0 }
        for group in FeatureGroup.allCases where group != .behaviour || answered {
            result[group.rawValue] = recall { $0.without(group) }
        }
        return result
    }
}
