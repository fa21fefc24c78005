import Crypto
import Features
import MailParsing

/// Parses rules files (syntax in `RuleSet`). Errors name file, line and column.
public struct RuleParser {
    private enum TokenKind: Equatable {
        case word(String)
        case number(Double)
        case string(String)
        case symbol(String)
        case end
    }

    private struct Token {
        let kind: TokenKind
        let line: Int
        let column: Int
    }

    private let file: String
    private let tokens: [Token]
    private var position = 0
    private let externalLists: Set<String>
    private var lists: [String: Set<String>] = [:]
    private static let keywords: Set<String> = ["rule", "when", "then", "list", "and", "or", "not", "in", "weight", "category", "quarantine", "accept", "defer"]
    private static let features = Dictionary(uniqueKeysWithValues: FeatureSchema.definitions.map { ($0.name, $0.feature.rawValue) })

    /// `externalLists` names the lists the configuration provides (they may be used, not defined).
    public static func parse(_ text: String, file: String, externalLists: Set<String> = []) throws(RuleParseError) -> RuleSet {
        var parser = RuleParser(file: file, tokens: try tokenize(text, file: file), externalLists: externalLists)
        let parsed = try parser.ruleSet()
        return RuleSet(rules: parsed.rules, lists: parsed.lists, version: String(SHA256.hash(data: Array(text.utf8)).hex.prefix(12)))
    }

    private init(file: String, tokens: [Token], externalLists: Set<String>) {
        self.file = file
        self.tokens = tokens
        self.externalLists = externalLists
    }

    // MARK: Structure

    private mutating func ruleSet() throws(RuleParseError) -> RuleSet {
        var rules: [Rule] = []
        var names: Set<String> = []
        while true {
            let token = current
            switch token.kind {
            case .end:
                return RuleSet(rules: rules, lists: lists, version: "")
            case .word("list"):
                advance()
                let name = try identifier("a list name")
                guard lists[name] == nil, !externalLists.contains(name) else { throw error("list '\(name)' is already defined", at: token) }
                try expect("=")
                lists[name] = try stringList()
            case .word("rule"):
                advance()
                let nameToken = current
                let name = try identifier("a rule name")
                guard name.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }), name.first?.isLetter == true else {
                    throw error("rule names are UPPER_SNAKE (\(name))", at: nameToken)
                }
                guard names.insert(name).inserted else { throw error("rule \(name) is already defined", at: nameToken) }
                try keyword("when")
                let condition = try expression()
                try keyword("then")
                rules.append(try actions(name: name, condition: condition, line: token.line))
            default:
                throw error("expected 'rule' or 'list', found \(describe(token.kind))", at: token)
            }
        }
    }

    private mutating func actions(name: String, condition: RuleExpression, line: Int) throws(RuleParseError) -> Rule {
        var weight = 0.0
        var category: ThreatCategory?
        var forced: Decision?
        var any = false
        loop: while case .word(let word) = current.kind {
            let token = current
            switch word {
            case "weight":
                advance()
                guard case .number(let value) = current.kind, value.isFinite else { throw error("expected a number after 'weight'", at: current) }
                advance()
                weight = value
            case "category":
                advance()
                let categoryToken = current
                let value = try identifier("a category")
                guard let parsed = ThreatCategory(rawValue: value), parsed != .clean, parsed != .policy else {
                    throw error("unknown category '\(value)' (phishing, bec, malware, scam, spam)", at: categoryToken)
                }
                category = parsed
            case "quarantine", "accept", "defer":
                advance()
                forced = Decision(rawValue: word)
            default:
                if word == "rule" || word == "list" { break loop }
                throw error("expected weight, category, quarantine, accept or defer, found '\(word)'", at: token)
            }
            any = true
        }
        guard any else { throw error("rule \(name) does nothing: give a weight, a category or a decision", at: current) }
        return Rule(name: name, condition: condition, weight: weight, category: category, forcedDecision: forced, line: line)
    }

    // MARK: Expressions

    private mutating func expression() throws(RuleParseError) -> RuleExpression {
        var left = try conjunction()
        while current.kind == .word("or") {
            advance()
            left = .or(left, try conjunction())
        }
        return left
    }

    private mutating func conjunction() throws(RuleParseError) -> RuleExpression {
        var left = try negation()
        while current.kind == .word("and") {
            advance()
            left = .and(left, try negation())
        }
        return left
    }

    private mutating func negation() throws(RuleParseError) -> RuleExpression {
        if current.kind == .word("not") {
            advance()
            return .not(try negation())
        }
        return try comparison()
    }

    private mutating func comparison() throws(RuleParseError) -> RuleExpression {
        let left = try operand()
        if case .symbol(let symbol) = current.kind, let op = RuleExpression.ComparisonOperator(rawValue: symbol) {
            advance()
            return .comparison(left, op, try operand())
        }
        return left
    }

    private mutating func operand() throws(RuleParseError) -> RuleExpression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return .number(value)
        case .symbol("("):
            advance()
            let inner = try expression()
            try expect(")")
            return inner
        case .word(let word) where !Self.keywords.contains(word):
            advance()
            if let attribute = RuleAttribute(rawValue: word), current.kind == .word("in") {
                advance()
                return .membership(attribute, try listReference())
            }
            if current.kind == .word("in") { throw error("only \(RuleAttribute.allCases.map(\.rawValue).joined(separator: ", ")) can be tested with 'in'", at: token) }
            guard let index = Self.features[word] else { throw error("unknown feature '\(word)' (gannet features --schema lists them)", at: token) }
            return .feature(index)
        default:
            throw error("expected a feature, a number or '(', found \(describe(token.kind))", at: token)
        }
    }

    private mutating func listReference() throws(RuleParseError) -> ListReference {
        if current.kind == .symbol("[") { return .literal(try stringList()) }
        let token = current
        let name = try identifier("a list name or [\"…\"]")
        guard lists[name] != nil || externalLists.contains(name) else { throw error("unknown list '\(name)'", at: token) }
        return .named(name)
    }

    private mutating func stringList() throws(RuleParseError) -> Set<String> {
        try expect("[")
        var values: Set<String> = []
        while true {
            let token = current
            switch token.kind {
            case .string(let value):
                advance()
                values.insert(value.lowercased())
                if current.kind == .symbol(",") { advance() } else if current.kind != .symbol("]") { throw error("expected ',' or ']'", at: current) }
            case .symbol("]"):
                advance()
                return values
            default:
                throw error("expected a quoted string or ']', found \(describe(token.kind))", at: token)
            }
        }
    }

    // MARK: Tokens

    private var current: Token { tokens[position] }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private mutating func identifier(_ what: String) throws(RuleParseError) -> String {
        guard case .word(let word) = current.kind else { throw error("expected \(what), found \(describe(current.kind))", at: current) }
        advance()
        return word
    }

    private mutating func keyword(_ word: String) throws(RuleParseError) {
        guard current.kind == .word(word) else { throw error("expected '\(word)', found \(describe(current.kind))", at: current) }
        advance()
    }

    private mutating func expect(_ symbol: String) throws(RuleParseError) {
        guard current.kind == .symbol(symbol) else { throw error("expected '\(symbol)', found \(describe(current.kind))", at: current) }
        advance()
    }

    private func error(_ message: String, at token: Token) -> RuleParseError {
        RuleParseError(file: file, line: token.line, column: token.column, message: message)
    }

    private func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .word(let word): "'\(word)'"
        case .number(let number): "\(number)"
        case .string(let string): "\"\(string)\""
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "end of file"
        }
    }

    private static func tokenize(_ text: String, file: String) throws(RuleParseError) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var index = 0, line = 1, lineStart = 0
        func fail(_ message: String) -> RuleParseError {
            RuleParseError(file: file, line: line, column: index - lineStart + 1, message: message)
        }
        while index < bytes.count {
            let byte = bytes[index]
            let column = index - lineStart + 1
            switch byte {
            case 10:
                index += 1
                line += 1
                lineStart = index
            case 32, 9, 13:
                index += 1
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != 10 { index += 1 }
            case UInt8(ascii: "\""):
                var value: [UInt8] = []
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != 10 {
                    value.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("string is not closed on its line") }
                index += 1
                tokens.append(Token(kind: .string(String(decoding: value, as: UTF8.self)), line: line, column: column))
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","):
                tokens.append(Token(kind: .symbol(String(UnicodeScalar(byte))), line: line, column: column))
                index += 1
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "!"):
                var symbol = String(UnicodeScalar(byte))
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") {
                    symbol += "="
                    index += 1
                }
                guard symbol != "!" else { throw fail("'!' must be followed by '=' (use 'not' for negation)") }
                tokens.append(Token(kind: .symbol(symbol), line: line, column: column))
                index += 1
            default:
                let start = index
                let isNumber = (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                while index < bytes.count {
                    let next = bytes[index]
                    let isWordByte = (next >= 48 && next <= 57) || (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next == 95
                    guard isWordByte || (isNumber && (next == 46 || next == 45 || next == 101 || next == 69)) else { break }
                    index += 1
                }
                guard index > start else { throw fail("unexpected character '\(String(UnicodeScalar(byte)))'") }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                if isNumber {
                    guard let value = Double(text) else { throw fail("'\(text)' is not a number") }
                    tokens.append(Token(kind: .number(value), line: line, column: column))
                } else {
                    tokens.append(Token(kind: .word(text), line: line, column: column))
                }
            }
        }
        tokens.append(Token(kind: .end, line: line, column: index - lineStart + 1))
        return tokens
    }
}
