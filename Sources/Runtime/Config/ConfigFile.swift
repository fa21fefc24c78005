import Foundation

extension GannetConfig {
    /// Reads and validates a configuration file. Unreadable files and invalid UTF-8 are
    /// `ConfigError`s like any other, so `gannet check` and a reload report them the same way.
    public static func load(path: String) throws(ConfigError) -> GannetConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(file: path, position: nil, message: "cannot read: \(Self.reason(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, position: nil, message: "not valid UTF-8")
        }
        return try parse(text, file: path)
    }

    private static func reason(_ error: Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}
