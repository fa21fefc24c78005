/// Typed reading of one TOML table that remembers which keys were read, so that every key
/// nobody asked for is reported as unknown, with its line.
public struct ConfigSection {
    let table: TOMLTable
    /// Dotted name used in messages (`milter`, `lists`); empty for the top level.
    let name: String
    let file: String
    private var consumed: Set<String> = []

    init(table: TOMLTable, name: String, file: String) {
        self.table = table
        self.name = name
        self.file = file
    }

    private var qualifier: String { name.isEmpty ? "" : "\(name)." }

    private func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, position: table[key]?.position ?? table.position, message: "\(qualifier)\(key): \(message)")
    }

    private mutating func take(_ key: String) -> TOMLTable.Entry? {
        consumed.insert(key)
        return table[key]
    }

    public mutating func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        guard let entry = take(key) else { return fallback }
        guard case .string(let value) = entry.value else { throw error(key, "expected a string, found \(entry.value.typeName)") }
        return value
    }

    public mutating func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let entry = take(key) else { return fallback }
        guard case .bool(let value) = entry.value else { throw error(key, "expected true or false, found \(entry.value.typeName)") }
        return value
    }

    public mutating func integer(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let entry = take(key) else { return fallback }
        guard case .integer(let value) = entry.value else { throw error(key, "expected an integer, found \(entry.value.typeName)") }
        guard range.contains(value) else { throw error(key, "\(value) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    public mutating func number(_ key: String, default fallback: Double, in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let entry = take(key) else { return fallback }
        let value: Double
        switch entry.value {
        case .integer(let integer): value = Double(integer)
        case .float(let float): value = float
        default: throw error(key, "expected a number, found \(entry.value.typeName)")
        }
        guard value.isFinite, range.contains(value) else { throw error(key, "\(value) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    public mutating func strings(_ key: String, default fallback: [String] = []) throws(ConfigError) -> [String] {
        guard let entry = take(key) else { return fallback }
        guard case .array(let elements) = entry.value else { throw error(key, "expected an array of strings, found \(entry.value.typeName)") }
        var values: [String] = []
        for element in elements {
            guard case .string(let value) = element else { throw error(key, "expected an array of strings, found an element of type \(element.typeName)") }
            values.append(value)
        }
        return values
    }

    /// One of a fixed set of words, e.g. `tempfail` or `accept`.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) throws(ConfigError) -> T where T.RawValue == String {
        let raw = try string(key, default: fallback.rawValue)
        guard let value = T(rawValue: raw) else {
            throw error(key, "'\(raw)' is not one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        }
        return value
    }

    /// A nested table; absent tables read as empty so every default applies.
    public mutating func section(_ key: String) throws(ConfigError) -> ConfigSection {
        let childName = qualifier + key
        guard let entry = take(key) else {
            return ConfigSection(table: TOMLTable(position: table.position, explicitlyDefined: false), name: childName, file: file)
        }
        guard case .table(let child) = entry.value else { throw error(key, "expected a table, found \(entry.value.typeName)") }
        return ConfigSection(table: child, name: childName, file: file)
    }

    /// Every key of this table, in file order: for tables whose keys are data (brand names).
    public var keys: [String] {
        table.entries.sorted { $0.value.position < $1.value.position }.map(\.key)
    }

    /// Rejects the first key (in file order) that no reader asked for.
    public func rejectUnknownKeys() throws(ConfigError) {
        let unknown = table.entries.filter { !consumed.contains($0.key) }.sorted { $0.value.position < $1.value.position }
        if let (key, entry) = unknown.first {
            let place = name.isEmpty ? "at the top level" : "in [\(name)]"
            throw ConfigError(file: file, position: entry.position, message: "unknown key '\(key)' \(place)")
        }
    }

    /// A validation failure about a key that was read.
    public func invalid(_ key: String, _ message: String) -> ConfigError {
        error(key, message)
    }
}
