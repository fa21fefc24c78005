/// A rules file that cannot be used, with the place to fix it.
public struct RuleParseError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
