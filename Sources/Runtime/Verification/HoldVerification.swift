/// `[verify]`: checking that Postfix really holds what Gannet asked it to hold.
public struct HoldVerification: Sendable, Equatable {
    public var enabled = true
    /// Postfix configuration directory for `postqueue -c`; "" is the system instance.
    public var postfixConfigDirectory = ""
    /// How often the hold queue is listed while some hold is unconfirmed.
    public var interval: Duration = .seconds(10)
    /// How long a requested hold may take to show in the hold queue before it is missing.
    public var deadline: Duration = .seconds(60)

    public init() {}
}

extension HoldVerification {
    static func parse(_ section: inout ConfigSection) throws(ConfigError) -> HoldVerification {
        var settings = HoldVerification()
        settings.enabled = try section.bool("holds", default: settings.enabled)
        settings.postfixConfigDirectory = try section.string("postfix_config", default: "")
        if !settings.postfixConfigDirectory.isEmpty, !settings.postfixConfigDirectory.hasPrefix("/") {
            throw section.invalid("postfix_config", "must be an absolute path")
        }
        settings.interval = .seconds(try section.integer("interval_seconds", default: 10, in: 1...3_600))
        settings.deadline = .seconds(try section.integer("deadline_seconds", default: 60, in: 1...86_400))
        try section.rejectUnknownKeys()
        return settings
    }
}
