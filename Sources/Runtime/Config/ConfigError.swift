/// A configuration file that cannot be used, with the place to fix it.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let position: SourcePosition?
    public let message: String

    public init(file: String, position: SourcePosition?, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    /// `file:line:column: message`, the form editors jump to.
    public var description: String {
        guard let position else { return "\(file): \(message)" }
        return "\(file):\(position.line):\(position.column): \(message)"
    }
}
