import Features

/// Evaluates a rule set against one message.
public struct RuleEvaluator: Sendable {
    public let rules: RuleSet
    /// Lists from the configuration (internal domains, lists sections…), by name.
    public let externalLists: [String: Set<String>]

    public init(rules: RuleSet, externalLists: [String: Set<String>]) {
        self.rules = rules
        self.externalLists = externalLists
    }

    /// The rules whose condition holds, in file order.
    public func firedRules(_ features: FeatureVector, _ evidence: MessageEvidence) -> [Rule] {
        rules.rules.filter { truth($0.condition, features, evidence) }
    }

    private func truth(_ expression: RuleExpression, _ features: FeatureVector, _ evidence: MessageEvidence) -> Bool {
        switch expression {
        case .feature, .number: return value(expression, features, evidence) != 0
        case .comparison(let left, let op, let right):
            let a = value(left, features, evidence), b = value(right, features, evidence)
            switch op {
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            case .equal: return a == b
            case .notEqual: return a != b
            }
        case .and(let left, let right): return truth(left, features, evidence) && truth(right, features, evidence)
        case .or(let left, let right): return truth(left, features, evidence) || truth(right, features, evidence)
        case .not(let inner): return !truth(inner, features, evidence)
        case .membership(let attribute, let reference):
            let list: Set<String>
            switch reference {
            case .literal(let values): list = values
            case .named(let name): list = rules.lists[name] ?? externalLists[name] ?? []
            }
            return Self.values(of: attribute, evidence).contains { list.contains($0) }
        }
    }

    private func value(_ expression: RuleExpression, _ features: FeatureVector, _ evidence: MessageEvidence) -> Double {
        switch expression {
        case .feature(let index): features.values[index]
        case .number(let number): number
        default: truth(expression, features, evidence) ? 1 : 0
        }
    }

    /// Domains are tested with every parent too, so a list entry `example.com` covers
    /// `mail.example.com`, as the business lists do.
    static func values(of attribute: RuleAttribute, _ evidence: MessageEvidence) -> [String] {
        switch attribute {
        case .sender: evidence.envelopeSender.map { [$0.description] } ?? []
        case .from: evidence.headerFrom.map { [$0.description] } ?? []
        case .senderDomain: evidence.envelopeSender.map { domainAndParents($0.domain) } ?? []
        case .fromDomain: evidence.headerFrom.map { domainAndParents($0.domain) } ?? []
        case .recipientDomain: evidence.recipients.flatMap { domainAndParents($0.domain) }
        }
    }

    static func domainAndParents(_ domain: String) -> [String] {
        var result = [domain]
        var rest = Substring(domain)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if rest.contains(".") { result.append(String(rest)) }
        }
        return result
    }
}
