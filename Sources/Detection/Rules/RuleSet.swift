import Features

/// A parsed rules file: named lists and rules. Rules add named reasons with weights (log-odds)
/// to a verdict, set its category, or force its decision.
///
///     # Lists may be written here or come from the configuration (internal_domains, …).
///     list finance_staff = ["ap@example.com", "cfo@example.com"]
///
///     rule EXECUTIVE_IMPERSONATION
///       when display_name_protected and not from_internal_domain
///       then weight 3.5 category bec
///
///     rule PROGRAM_ATTACHMENT when attachment_executable > 0 then quarantine category malware
///
/// Expressions: feature names (true when the value is not 0), numbers, comparisons
/// (`< <= > >= == !=`), `and`, `or`, `not`, parentheses, and `ATTRIBUTE in LIST` where
/// ATTRIBUTE is `sender`, `sender_domain`, `from`, `from_domain` or `recipient_domain` (true if
/// any recipient's domain is in the list) and LIST is a list name or `["…", …]`.
public struct RuleSet: Sendable {
    public let rules: [Rule]
    /// Lists defined in the file, by name.
    public let lists: [String: Set<String>]
    /// The first twelve hex digits of the rules text's SHA-256, so a verdict names the rules
    /// it was made with; "none" for no rules.
    public let version: String

    public static let empty = RuleSet(rules: [], lists: [:], version: "none")

    public init(rules: [Rule], lists: [String: Set<String>], version: String) {
        self.rules = rules
        self.lists = lists
        self.version = version
    }
}

/// One rule: a condition and what happens when it holds.
public struct Rule: Sendable {
    public let name: String
    public let condition: RuleExpression
    /// Added to the verdict's log-odds when the rule fires.
    public let weight: Double
    public let category: ThreatCategory?
    /// Forces the decision when the rule fires.
    public let forcedDecision: Decision?
    /// Where the rule starts, for messages.
    public let line: Int
}

/// A rule condition as a tree.
public indirect enum RuleExpression: Sendable {
    case feature(Int)
    case number(Double)
    case comparison(RuleExpression, ComparisonOperator, RuleExpression)
    case and(RuleExpression, RuleExpression)
    case or(RuleExpression, RuleExpression)
    case not(RuleExpression)
    case membership(RuleAttribute, ListReference)

    public enum ComparisonOperator: String, Sendable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
    }
}

/// The message identities a rule can test against lists.
public enum RuleAttribute: String, Sendable, CaseIterable {
    case sender
    case senderDomain = "sender_domain"
    case from
    case fromDomain = "from_domain"
    case recipientDomain = "recipient_domain"
}

/// A list named in a rule (resolved at evaluation against the file's and the configuration's
/// lists), or written inline.
public enum ListReference: Sendable {
    case named(String)
    case literal(Set<String>)
}
