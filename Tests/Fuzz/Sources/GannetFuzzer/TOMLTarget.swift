import Runtime

/// The configuration file: TOML syntax, then Gannet's validation of every section. Anything
/// but a result or a clear error (a trap, a sanitizer report, a stack overflow) is a finding.
enum TOMLTarget {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? TOMLParser.parse(text)
        _ = try? GannetConfig.parse(text, file: "fuzz.toml")
    }
}
