import Features
import Foundation

/// An immutable detection snapshot: lists, model, rules and policy. A message keeps the
/// snapshot it started with, so a reload never changes a decision half-way.
public struct DetectionEngine: Sendable {
    public let lists: SenderLists
    public let model: CompiledModel?
    public let rules: RuleEvaluator
    public let policy: DetectionPolicy

    /// Identifier stamped into every verdict (`model=` in the header).
    public var modelID: String { model?.id ?? "none" }

    public init(lists: SenderLists, model: CompiledModel? = nil, rules: RuleEvaluator = RuleEvaluator(rules: .empty, externalLists: [:]), policy: DetectionPolicy = DetectionPolicy()) {
        self.lists = lists
        self.model = model
        self.rules = rules
        self.policy = policy
    }

    public enum Pass: Sendable {
        /// The inline pass may defer; a cut vector always defers.
        case inline
        /// The full pass decides: at or above the quarantine threshold, quarantine; else accept.
        case full
    }

    public var thresholds: (quarantine: Double, accept: Double) {
        model.map { ($0.thresholds.quarantine, $0.thresholds.accept) } ?? (policy.quarantineThreshold, policy.acceptThreshold)
    }

    /// The verdict for one message. Business lists decide first (blocked senders, checked on
    /// the envelope and the From header, are quarantined; an allowed envelope sender is
    /// accepted when the From header does not name another, unlisted domain). Otherwise the
    /// model's log-odds (or the policy's base) plus the weights of the rules that fire give
    /// the score; a rule may force the decision.
    public func verdict(for evidence: MessageEvidence, features: FeatureVector, pass: Pass) -> Verdict {
        let verdict = scoredVerdict(for: evidence, features: features, pass: pass)
        // Per-recipient policy: mail only for tag-only recipients is delivered, stamped.
        guard verdict.decision != .accept, lists.onlyTagging(evidence.recipients) else { return verdict }
        return Verdict(score: verdict.score, logOdds: verdict.logOdds, decision: .accept, category: verdict.category,
                       reasons: [Reason(name: "TAG_ONLY_RECIPIENT", weight: 0)] + verdict.reasons, modelID: verdict.modelID)
    }

    private func scoredVerdict(for evidence: MessageEvidence, features: FeatureVector, pass: Pass) -> Verdict {
        if let listed = listVerdict(evidence) { return listed }
        let scored = pass == .inline ? model?.scoreInline(features, explain: true) : model?.scoreFull(features, explain: true)
        var logit = scored?.logit ?? policy.baseLogit
        var reasons: [Reason] = []
        for contribution in scored?.contributions ?? [] where contribution.value > 0 && contribution.name != "base" {
            reasons.append(Reason(name: contribution.name.uppercased(), weight: contribution.value))
        }
        let fired = rules.firedRules(features, evidence)
        for rule in fired {
            logit += rule.weight
            reasons.append(Reason(name: rule.name, weight: rule.weight))
        }
        var score = 1 / (1 + exp(-logit))
        let (quarantineAt, acceptBelow) = thresholds
        var decision: Decision
        switch pass {
        case .full: decision = score >= (model?.thresholds.fullQuarantine ?? quarantineAt) ? .quarantine : .accept
        case .inline: decision = score >= quarantineAt ? .quarantine : score < acceptBelow ? .accept : .defer
        }
        let forced = fired.compactMap(\.forcedDecision)
        if forced.contains(.quarantine) {
            decision = .quarantine
        } else if forced.contains(.defer), pass == .inline {
            decision = .defer
        } else if forced.contains(.accept) {
            decision = .accept
        }
        reasons.sort { abs($0.weight) != abs($1.weight) ? abs($0.weight) > abs($1.weight) : $0.name < $1.name }
        reasons = Array(reasons.prefix(policy.maximumReasons))
        let bulk = BulkMail.isBulk(features)
        if bulk, policy.bulk == .tag, decision != .accept, forced.isEmpty, AttackEvidence.present(in: features).isEmpty {
            // The discount brings the score just under the accept threshold, so score, log-odds
            // and decision agree, and the reason says how far the content alone would have gone.
            let discount = min(Verdict.listedLogOdds, max(-Verdict.listedLogOdds, log(acceptBelow / (1 - acceptBelow)) - 0.01)) - logit
            logit += discount
            score = 1 / (1 + exp(-logit))
            decision = .accept
            reasons = [Reason(name: BulkMail.deliveredReason, weight: discount)] + reasons.prefix(max(0, policy.maximumReasons - 1))
        }
        // The inline pass does not guess about what it did not read.
        if pass == .inline, features.wasCut, forced.isEmpty { decision = .defer }
        let category: ThreatCategory = decision == .accept && forced.isEmpty && (bulk || score < acceptBelow)
            ? (bulk ? .bulk : .clean) : Self.category(fired: fired, features: features)
        return Verdict(score: score, logOdds: logit, decision: decision, category: category, reasons: reasons, modelID: modelID)
    }

    private func listVerdict(_ evidence: MessageEvidence) -> Verdict? {
        let identities = [evidence.envelopeSender, evidence.headerFrom].compactMap { $0 }
        if let block = identities.compactMap(lists.match).first(where: { $0.weight > 0 }) {
            return Verdict(score: 1, logOdds: Verdict.listedLogOdds, decision: .quarantine, category: .policy, reasons: [block], modelID: modelID)
        }
        if let sender = evidence.envelopeSender, let allow = lists.match(sender), allow.weight < 0,
           evidence.headerFrom.map({ lists.match($0) != nil || $0.domain == sender.domain }) ?? true {
            return Verdict(score: 0, logOdds: -Verdict.listedLogOdds, decision: .accept, category: .clean, reasons: [allow], modelID: modelID)
        }
        return nil
    }

    /// The category a rule names (the heaviest that fired), else the one the features point
    /// to: programs and macro documents are malware; impersonation or payment talk without
    /// links is BEC; credential talk, lookalikes and deceptive links are phishing; extortion
    /// and prizes are scams; anything else is spam.
    public static func category(fired: [Rule], features: FeatureVector) -> ThreatCategory {
        if let named = fired.filter({ $0.category != nil }).max(by: { $0.weight < $1.weight })?.category { return named }
        if features[.attachmentExecutable] > 0 || features[.attachmentMacroOffice] > 0 || features[.archiveWithExecutable] > 0
            || features[.attachmentShortcut] > 0 || features[.attachmentDiskImage] > 0 {
            return .malware
        }
        let links = features[.urlCount]
        if (features[.displayNameProtected] > 0 || features[.phrasePayment] > 0 || features[.phraseGiftCard] > 0), links == 0 { return .bec }
        if features[.phraseCredentials] > 0 || features[.urlLookalike] > 0 || features[.fromDomainLookalike] > 0 || features[.urlAnchorMismatch] > 0
            || features[.htmlPasswordInputs] > 0 || features[.attachmentHTML] > 0 || features[.displayNameBrand] > 0 {
            return .phishing
        }
        if features[.phraseExtortion] > 0 || features[.phrasePrize] > 0 { return .scam }
        return .spam
    }
}
