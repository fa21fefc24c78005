/// Parses TOML documents: tables, dotted keys, arrays of tables, inline tables, basic and
/// literal strings (single- and multi-line), integers, floats and booleans. Date-times are
/// refused with a clear message because no Gannet setting takes one.
public struct TOMLParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Arrays and inline tables open around the current value.
    private var nesting = 0

    /// Deeper than any configuration needs, and shallow enough that parsing (which recurses
    /// once per level) cannot exhaust the stack.
    static let maximumNesting = 32

    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8))
        return try parser.document()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var position: SourcePosition { SourcePosition(line: line, column: index - lineStart + 1) }
    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func fail(_ message: String, at position: SourcePosition? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(position: position ?? self.position, message: message)
    }

    private mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    // MARK: Document structure

    private mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
        var root = TOMLTable(position: SourcePosition(line: 1, column: 1), explicitlyDefined: true)
        var currentPath: [String] = []
        while true {
            skipWhitespaceCommentsAndNewlines()
            guard let byte = current else { return root }
            let start = position
            if byte == UInt8(ascii: "[") {
                advance()
                let isArray = current == UInt8(ascii: "[")
                if isArray { advance() }
                skipInlineWhitespace()
                let path = try dottedKey()
                skipInlineWhitespace()
                try expect("]")
                if isArray { try expect("]") }
                try endOfLine()
                if isArray {
                    try Self.appendTable(to: &root, path: path, at: start)
                } else {
                    try Self.defineTable(in: &root, path: path, at: start)
                }
                currentPath = path
            } else {
                let keyPath = try dottedKey()
                skipInlineWhitespace()
                try expect("=")
                skipInlineWhitespace()
                let value = try value()
                try endOfLine()
                try Self.insert(value, at: currentPath, key: keyPath, position: start, into: &root)
            }
        }
    }

    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipInlineWhitespace()
        if current == UInt8(ascii: "#") { skipComment() }
        guard let byte = current else { return }
        if byte == UInt8(ascii: "\r") { advance() }
        guard current == UInt8(ascii: "\n") else { throw fail("expected end of line, found '\(Self.display(current))'") }
        advance()
    }

    // MARK: Table bookkeeping

    private static func defineTable(in root: inout TOMLTable, path: [String], at position: SourcePosition) throws(TOMLSyntaxError) {
        try modifyTable(&root, path: path[...], position: position, creating: true) { table throws(TOMLSyntaxError) in
            _ = table
        }
        try markExplicit(&root, path: path[...], position: position)
    }

    private static func markExplicit(_ table: inout TOMLTable, path: ArraySlice<String>, position: SourcePosition) throws(TOMLSyntaxError) {
        guard let key = path.first else { return }
        guard var entry = table.entries[key] else { return }
        switch entry.value {
        case .table(var child):
            if path.count == 1 {
                if child.explicitlyDefined { throw TOMLSyntaxError(position: position, message: "table [\(key)] is defined twice") }
                child.explicitlyDefined = true
            } else {
                try markExplicit(&child, path: path.dropFirst(), position: position)
            }
            entry.value = .table(child)
        case .array(var elements):
            guard case .table(var last)? = elements.last else { return }
            try markExplicit(&last, path: path.dropFirst(), position: position)
            elements[elements.count - 1] = .table(last)
            entry.value = .array(elements)
        default:
            return
        }
        table.set(key, entry)
    }

    private static func appendTable(to root: inout TOMLTable, path: [String], at position: SourcePosition) throws(TOMLSyntaxError) {
        try modifyTable(&root, path: path.dropLast(), position: position, creating: true) { parent throws(TOMLSyntaxError) in
            let key = path[path.count - 1]
            let fresh = TOMLValue.table(TOMLTable(position: position, explicitlyDefined: true))
            if let existing = parent.entries[key] {
                guard case .array(var elements) = existing.value, elements.allSatisfy({ if case .table = $0 { true } else { false } }) else {
                    throw TOMLSyntaxError(position: position, message: "'\(key)' is already defined at line \(existing.position.line) and is not an array of tables")
                }
                elements.append(fresh)
                parent.set(key, .init(value: .array(elements), position: existing.position))
            } else {
                parent.set(key, .init(value: .array([fresh]), position: position))
            }
        }
    }

    private static func insert(_ value: TOMLValue, at tablePath: [String], key: [String], position: SourcePosition, into root: inout TOMLTable) throws(TOMLSyntaxError) {
        let fullPath = tablePath + key
        try modifyTable(&root, path: fullPath.dropLast(), position: position, creating: true) { table throws(TOMLSyntaxError) in
            let name = fullPath[fullPath.count - 1]
            if let existing = table.entries[name] {
                throw TOMLSyntaxError(position: position, message: "key '\(name)' is already defined at line \(existing.position.line)")
            }
            table.set(name, .init(value: value, position: position))
        }
    }

    /// Walks to the table at `path`, creating implicit tables, and lets `body` change it.
    /// An array of tables on the way means its last element, as TOML specifies.
    private static func modifyTable(
        _ table: inout TOMLTable, path: ArraySlice<String>, position: SourcePosition, creating: Bool,
        _ body: (inout TOMLTable) throws(TOMLSyntaxError) -> Void
    ) throws(TOMLSyntaxError) {
        guard let key = path.first else {
            try body(&table)
            return
        }
        var entry = table.entries[key] ?? .init(value: .table(TOMLTable(position: position, explicitlyDefined: false)), position: position)
        switch entry.value {
        case .table(var child):
            try modifyTable(&child, path: path.dropFirst(), position: position, creating: creating, body)
            entry.value = .table(child)
        case .array(var elements):
            guard case .table(var last)? = elements.last else {
                throw TOMLSyntaxError(position: position, message: "'\(key)' is an array (line \(entry.position.line)), not a table")
            }
            try modifyTable(&last, path: path.dropFirst(), position: position, creating: creating, body)
            elements[elements.count - 1] = .table(last)
            entry.value = .array(elements)
        default:
            throw TOMLSyntaxError(position: position, message: "'\(key)' is a \(entry.value.typeName) (line \(entry.position.line)), not a table")
        }
        table.set(key, entry)
    }

    // MARK: Keys

    private mutating func dottedKey() throws(TOMLSyntaxError) -> [String] {
        var parts = [try simpleKey()]
        while true {
            skipInlineWhitespace()
            guard current == UInt8(ascii: ".") else { return parts }
            advance()
            skipInlineWhitespace()
            guard parts.count < Self.maximumNesting else { throw fail("a dotted key has more than \(Self.maximumNesting) parts") }
            parts.append(try simpleKey())
        }
    }

    private mutating func simpleKey() throws(TOMLSyntaxError) -> String {
        switch current {
        case UInt8(ascii: "\""): return try basicString()
        case UInt8(ascii: "'"): return try literalString()
        default:
            let start = index
            while let byte = current, Self.isBareKeyByte(byte) { advance() }
            guard index > start else { throw fail("expected a key, found '\(Self.display(current))'") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    // MARK: Values

    private mutating func value() throws(TOMLSyntaxError) -> TOMLValue {
        guard let byte = current else { throw fail("expected a value, found end of file") }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(startsWith("\"\"\"") ? try multilineString(literal: false) : try basicString())
        case UInt8(ascii: "'"):
            return .string(startsWith("'''") ? try multilineString(literal: true) : try literalString())
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "{"): return try inlineTable()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if startsWith("true") { index += 4; return .bool(true) }
            if startsWith("false") { index += 5; return .bool(false) }
            throw fail("expected a value, found '\(Self.display(byte))'")
        default: return try number()
        }
    }

    private func startsWith(_ text: String) -> Bool {
        let pattern = Array(text.utf8)
        return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
    }

    private mutating func number() throws(TOMLSyntaxError) -> TOMLValue {
        let start = position
        let first = index
        while let byte = current, !Self.endsScalar(byte) { advance() }
        let raw = String(decoding: bytes[first..<index], as: UTF8.self)
        guard !raw.isEmpty else { throw fail("expected a value, found '\(Self.display(current))'") }
        if raw.contains(":") || (raw.count >= 10 && raw.dropFirst(4).first == "-") {
            throw fail("dates and times are not used by any Gannet setting: quote the value", at: start)
        }
        if raw.hasPrefix("_") || raw.hasSuffix("_") || raw.contains("__") {
            throw fail("misplaced '_' in number '\(raw)'", at: start)
        }
        let digits = raw.filter { $0 != "_" }
        if let hex = digits.strippingPrefix("0x"), let value = Int(hex, radix: 16) { return .integer(value) }
        if let octal = digits.strippingPrefix("0o"), let value = Int(octal, radix: 8) { return .integer(value) }
        if let binary = digits.strippingPrefix("0b"), let value = Int(binary, radix: 2) { return .integer(value) }
        if let value = Int(digits) { return .integer(value) }
        switch digits {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Double(digits), digits.first != "." {
            return .float(value)
        }
        throw fail("'\(raw)' is not a valid value (strings need quotes)", at: start)
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#")
    }

    private mutating func array() throws(TOMLSyntaxError) -> TOMLValue {
        let open = position
        try enterNesting()
        defer { nesting -= 1 }
        advance()
        var elements: [TOMLValue] = []
        while true {
            skipWhitespaceCommentsAndNewlines()
            guard let byte = current else { throw fail("array opened at line \(open.line) is not closed", at: open) }
            if byte == UInt8(ascii: "]") {
                advance()
                return .array(elements)
            }
            elements.append(try value())
            skipWhitespaceCommentsAndNewlines()
            if current == nil { throw fail("array opened at line \(open.line) is not closed", at: open) }
            if current == UInt8(ascii: ",") {
                advance()
            } else if current != UInt8(ascii: "]") {
                throw fail("expected ',' or ']' in array, found '\(Self.display(current))'")
            }
        }
    }

    private mutating func enterNesting() throws(TOMLSyntaxError) {
        guard nesting < Self.maximumNesting else { throw fail("arrays and inline tables are nested more than \(Self.maximumNesting) deep") }
        nesting += 1
    }

    private mutating func inlineTable() throws(TOMLSyntaxError) -> TOMLValue {
        var table = TOMLTable(position: position, explicitlyDefined: true)
        try enterNesting()
        defer { nesting -= 1 }
        advance()
        skipInlineWhitespace()
        if current == UInt8(ascii: "}") {
            advance()
            return .table(table)
        }
        while true {
            skipInlineWhitespace()
            let start = position
            let key = try dottedKey()
            skipInlineWhitespace()
            try expect("=")
            skipInlineWhitespace()
            let value = try value()
            try Self.insert(value, at: [], key: key, position: start, into: &table)
            skipInlineWhitespace()
            if current == UInt8(ascii: ",") {
                advance()
                continue
            }
            try expect("}")
            return .table(table)
        }
    }

    // MARK: Strings

    private mutating func basicString() throws(TOMLSyntaxError) -> String {
        let open = position
        advance()
        var out: [UInt8] = []
        while true {
            guard let byte = current, byte != UInt8(ascii: "\n") else { throw fail("string opened at column \(open.column) is not closed on its line", at: open) }
            advance()
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if byte == UInt8(ascii: "\\") {
                try escape(into: &out)
            } else {
                out.append(byte)
            }
        }
    }

    private mutating func literalString() throws(TOMLSyntaxError) -> String {
        let open = position
        advance()
        let start = index
        while let byte = current, byte != UInt8(ascii: "'") {
            if byte == UInt8(ascii: "\n") { break }
            advance()
        }
        guard current == UInt8(ascii: "'") else { throw fail("string opened at column \(open.column) is not closed on its line", at: open) }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        advance()
        return text
    }

    private mutating func multilineString(literal: Bool) throws(TOMLSyntaxError) -> String {
        let open = position
        let delimiter = literal ? "'''" : "\"\"\""
        for _ in 0..<3 { advance() }
        // A newline right after the opening delimiter is not part of the string.
        if current == UInt8(ascii: "\r") { advance() }
        if current == UInt8(ascii: "\n") { advance() }
        var out: [UInt8] = []
        while true {
            guard let byte = current else { throw fail("multi-line string is not closed", at: open) }
            if startsWith(delimiter) {
                for _ in 0..<3 { advance() }
                return String(decoding: out, as: UTF8.self)
            }
            advance()
            if byte == UInt8(ascii: "\\"), !literal {
                if let next = current, next == UInt8(ascii: "\n") || next == UInt8(ascii: " ") || next == UInt8(ascii: "\r") || next == UInt8(ascii: "\t") {
                    // Line-ending backslash: trim the newline and leading whitespace that follows.
                    while let next = current, next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") { advance() }
                } else {
                    try escape(into: &out)
                }
            } else {
                out.append(byte)
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(TOMLSyntaxError) {
        guard let code = current else { throw fail("unfinished escape") }
        advance()
        switch code {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "e"): out.append(27)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let length = code == UInt8(ascii: "u") ? 4 : 8
            guard index + length <= bytes.count,
                  let scalarValue = UInt32(String(decoding: bytes[index..<index + length], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(scalarValue)
            else { throw fail("invalid unicode escape") }
            for _ in 0..<length { advance() }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw fail("unknown escape '\\\(Self.display(code))'")
        }
    }

    // MARK: Whitespace

    private mutating func expect(_ character: Character) throws(TOMLSyntaxError) {
        guard let byte = current, byte == character.asciiValue else {
            throw fail("expected '\(character)', found '\(Self.display(current))'")
        }
        advance()
    }

    private mutating func skipInlineWhitespace() {
        while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
    }

    private mutating func skipComment() {
        while let byte = current, byte != UInt8(ascii: "\n") { advance() }
    }

    private mutating func skipWhitespaceCommentsAndNewlines() {
        while let byte = current {
            if byte == UInt8(ascii: "#") {
                skipComment()
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                advance()
            } else {
                return
            }
        }
    }

    private static func display(_ byte: UInt8?) -> String {
        guard let byte else { return "end of file" }
        if byte == UInt8(ascii: "\n") { return "end of line" }
        return byte >= 32 && byte < 127 ? String(UnicodeScalar(byte)) : "byte 0x" + String(byte, radix: 16)
    }
}

extension String {
    func strippingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
