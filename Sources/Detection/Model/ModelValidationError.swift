/// Why a model file was refused. A refused model never replaces the one in service.
public struct ModelValidationError: Error, Equatable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
