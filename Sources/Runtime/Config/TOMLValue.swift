/// A parsed TOML value. Gannet reads one file format everywhere (config, lists, rules
/// settings); this is the subset it needs, with positions kept for error messages.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .bool: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// Where something stands in a file, 1-based.
public struct SourcePosition: Sendable, Equatable, Comparable {
    public let line: Int
    public let column: Int

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A TOML table that remembers where each key was written.
public struct TOMLTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var value: TOMLValue
        public let position: SourcePosition
    }

    public private(set) var entries: [String: Entry] = [:]
    /// Where the table was opened (its `[header]`, or the key that made it).
    public let position: SourcePosition
    /// Opened by a `[header]` rather than implied by a dotted name.
    var explicitlyDefined: Bool

    init(position: SourcePosition, explicitlyDefined: Bool) {
        self.position = position
        self.explicitlyDefined = explicitlyDefined
    }

    public subscript(key: String) -> Entry? { entries[key] }

    mutating func set(_ key: String, _ entry: Entry) { entries[key] = entry }
}

/// A TOML syntax error, with the place it was found.
public struct TOMLSyntaxError: Error, Equatable, CustomStringConvertible {
    public let position: SourcePosition
    public let message: String

    public var description: String { "\(position.line):\(position.column): \(message)" }
}
