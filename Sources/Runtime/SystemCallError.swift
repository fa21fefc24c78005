import Foundation

/// A failed system call with its errno, named after the call.
public struct SystemCallError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// The error the last call left in errno.
    public static func last(_ call: String) -> SystemCallError {
        SystemCallError(call: call, code: errno)
    }

    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}
