import Detection
import Features
import Foundation
import Testing

@Suite struct RuleParserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theStarterRulesParseAndShipAsTheEtcFile() throws {
        let shipped = try String(contentsOf: Self.packageRoot.appendingPathComponent("etc/gannet/rules.gannet"), encoding: .utf8)
        #expect(shipped == StarterRules.text)
        let rules = try RuleParser.parse(StarterRules.text, file: "rules.gannet")
        #expect(rules.rules.count >= 10)
        #expect(rules.rules.contains { $0.name == "DANGEROUS_ATTACHMENT" && $0.forcedDecision == .quarantine && $0.category == .malware })
    }

    @Test func listsAndEveryOperatorParse() throws {
        let rules = try RuleParser.parse("""
            list finance = ["ap@corp.example", "CFO@corp.example"]
            rule A when (url_count >= 2 and url_count < 10) or not html_forms then weight -1.5
            rule B when sender in finance and recipient_domain in ["corp.example"] then accept
            rule C when from_domain in internal_domains and url_ip_host != 0 then quarantine category phishing
            rule D when text_bytes == 3 or text_bytes <= 2 or text_bytes > 9 then defer
            """, file: "r", externalLists: ["internal_domains"])
        #expect(rules.rules.map(\.name) == ["A", "B", "C", "D"])
        #expect(rules.lists["finance"] == ["ap@corp.example", "cfo@corp.example"])
        #expect(rules.rules[0].weight == -1.5)
    }

    @Test(arguments: [
        ("rule A when no_such_feature then weight 1", "r:1:13: unknown feature 'no_such_feature' (gannet features --schema lists them)"),
        ("rule lower when url_count then weight 1", "r:1:6: rule names are UPPER_SNAKE (lower)"),
        ("rule A when url_count then", "r:1:27: rule A does nothing: give a weight, a category or a decision"),
        ("rule A when url_count then weight 1\nrule A when url_count then weight 2", "r:2:6: rule A is already defined"),
        ("rule A when url_count > then weight 1", "r:1:25: expected a feature, a number or '(', found 'then'"),
        ("rule A when sender in nowhere then weight 1", "r:1:23: unknown list 'nowhere'"),
        ("rule A when url_count in [\"x\"] then weight 1", "r:1:13: only sender, sender_domain, from, from_domain, recipient_domain can be tested with 'in'"),
        ("rule A when url_count then category junk", "r:1:37: unknown category 'junk' (phishing, bec, malware, scam, spam)"),
        ("rule A when (url_count then weight 1", "r:1:24: expected ')', found 'then'"),
        ("rule A when url_count ! 2 then weight 1", "r:1:23: '!' must be followed by '=' (use 'not' for negation)"),
        ("list l = [\"a\" \"b\"]", "r:1:15: expected ',' or ']'"),
        ("when url_count", "r:1:1: expected 'rule' or 'list', found 'when'"),
    ])
    func errorsNameFileLineAndColumn(text: String, message: String) {
        do {
            _ = try RuleParser.parse(text, file: "r")
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.description == message)
        }
    }
}

@Suite struct DetectionPolicyTests {
    func engine(_ rules: String, model: CompiledModel? = nil, lists: [String: Set<String>] = [:]) throws -> DetectionEngine {
        let parsed = try RuleParser.parse(rules, file: "r", externalLists: Set(lists.keys))
        return DetectionEngine(lists: .empty, model: model, rules: RuleEvaluator(rules: parsed, externalLists: lists))
    }

    func vector(_ values: [Feature: Double]) -> FeatureVector {
        var vector = FeatureVector()
        for (feature, value) in values { vector[feature] = value }
        return vector
    }

    @Test func firedRulesAddTheirWeightsAndNameTheCategory() throws {
        let engine = try engine("rule LOOKALIKE_LINK when url_lookalike then weight 6 category phishing\nrule QUIET when url_count > 100 then weight 9")
        let verdict = engine.verdict(for: MessageEvidence(), features: vector([.urlLookalike: 1, .urlCount: 3]), pass: .inline)
        #expect(abs(verdict.score - 1 / (1 + exp(-2.0))) < 1e-12)
        #expect(verdict.decision == .defer)
        #expect(verdict.category == .phishing)
        #expect(verdict.reasons == [Reason(name: "LOOKALIKE_LINK", weight: 6)])
        let full = engine.verdict(for: MessageEvidence(), features: vector([.urlLookalike: 1, .urlCount: 3]), pass: .full)
        #expect(full.decision == .accept)
    }

    @Test func forcedDecisionsWinOverScores() throws {
        let engine = try engine("rule EXE when attachment_executable then quarantine\nrule PARTNER when sender_domain in partners then accept", lists: ["partners": ["partner.example"]])
        let forced = engine.verdict(for: MessageEvidence(), features: vector([.attachmentExecutable: 1]), pass: .inline)
        #expect(forced.decision == .quarantine)
        #expect(forced.category == .malware)
        let partner = MessageEvidence(envelopeSender: MailAddress(parsing: "billing@eu.partner.example"))
        let accepted = engine.verdict(for: partner, features: vector([.urlCount: 1]), pass: .inline)
        #expect(accepted.decision == .accept)
        #expect(accepted.reasons.map(\.name) == ["PARTNER"])
    }

    @Test func aCutVectorIsDeferredNotGuessed() throws {
        let engine = try engine("rule NOTHING when url_count > 1000 then weight 1")
        let verdict = engine.verdict(for: MessageEvidence(), features: vector([.bodyCut: 1]), pass: .inline)
        #expect(verdict.decision == .defer)
        #expect(engine.verdict(for: MessageEvidence(), features: vector([.bodyCut: 1]), pass: .full).decision == .accept)
    }

    @Test func theModelsLogOddsAndContributionsJoinTheRules() throws {
        let document = ModelDocument(
            id: "m-test", created: "2026-11-25T00:00:00Z", featureSchema: FeatureSchema.digest, trainingData: "none",
            thresholds: .init(quarantine: 0.8, accept: 0.2),
            inline: .linear(LinearModelDocument(bias: -3, weights: ["url_anchor_mismatch": 2.5]))
        )
        let engine = try engine("rule DMARC when dmarc_fail then weight 2", model: try CompiledModel(document))
        let verdict = engine.verdict(for: MessageEvidence(), features: vector([.urlAnchorMismatch: 1, .dmarcFail: 1]), pass: .inline)
        #expect(abs(verdict.score - 1 / (1 + exp(-1.5))) < 1e-12)
        #expect(verdict.decision == .quarantine)
        #expect(verdict.reasons.map(\.name) == ["URL_ANCHOR_MISMATCH", "DMARC"])
        #expect(verdict.modelID == "m-test")
        #expect(verdict.category == .phishing)
    }
}

@Suite struct TagOnlyRecipientTests {
    @Test func mailOnlyForTagOnlyRecipientsIsDeliveredStamped() {
        let engine = DetectionEngine(lists: SenderLists(blockedAddresses: ["bad@evil.example"], tagOnlyRecipients: ["soc@corp.example", "research.corp.example"]))
        let sender = MailAddress(parsing: "bad@evil.example")
        let tagOnly = MessageEvidence(envelopeSender: sender, recipients: [MailAddress(parsing: "soc@corp.example")!, MailAddress(parsing: "x@lab.research.corp.example")!])
        let verdict = engine.verdict(for: tagOnly, features: FeatureVector(), pass: .inline)
        #expect(verdict.decision == .accept)
        #expect(verdict.reasons.map(\.name) == ["TAG_ONLY_RECIPIENT", "BLOCKED_SENDER"])
        let mixed = MessageEvidence(envelopeSender: sender, recipients: [MailAddress(parsing: "soc@corp.example")!, MailAddress(parsing: "ceo@corp.example")!])
        #expect(engine.verdict(for: mixed, features: FeatureVector(), pass: .inline).decision == .quarantine)
    }
}

@Suite struct ScorerThresholdTests {
    @Test func theFullPassUsesItsOwnQuarantineThreshold() throws {
        let document = ModelDocument(
            id: "m", created: "c", featureSchema: FeatureSchema.digest, trainingData: "d",
            thresholds: .init(quarantine: 0.8, accept: 0.2, fullQuarantine: 0.99),
            inline: .linear(LinearModelDocument(bias: 2.2, weights: [:]))
        )
        let engine = DetectionEngine(lists: .empty, model: try CompiledModel(document))
        // σ(2.2) ≈ 0.90: above the inline threshold, below the full one.
        #expect(engine.verdict(for: MessageEvidence(), features: FeatureVector(), pass: .inline).decision == .quarantine)
        #expect(engine.verdict(for: MessageEvidence(), features: FeatureVector(), pass: .full).decision == .accept)
        var broken = document
        broken.thresholds.fullQuarantine = 1.5
        #expect(throws: ModelValidationError.self) { try CompiledModel(broken) }
    }
}
