/// `[selftest]`: canary messages Gannet sends itself through the MTA, one for each decision,
/// at start and on a schedule, to prove that each decision is carried out end to end.
public struct SelftestSettings: Sendable, Equatable {
    public var enabled = false
    /// The SMTP service the canaries are sent to: one whose mail passes through Gannet.
    public var mta = SMTPEndpoint(host: "127.0.0.1", port: 25)
    /// Envelope sender; "" sends with the null sender, so a canary never bounces.
    public var from = ""
    /// The recipient, e.g. an alias to /dev/null; required when enabled.
    public var to = ""
    /// Time between rounds; nil sends one round at start only.
    public var interval: Duration? = .seconds(3_600)
    /// How long a round waits for every step of every canary to be seen.
    public var deadline: Duration = .seconds(180)

    public init() {}
}

extension SelftestSettings {
    /// `verify`: `[verify]`, whose listings of the hold queue confirm a held canary.
    static func parse(_ section: inout ConfigSection, verify: HoldVerification) throws(ConfigError) -> SelftestSettings {
        var settings = SelftestSettings()
        settings.enabled = try section.bool("enabled", default: false)
        let mta = try section.string("mta", default: settings.mta.description)
        guard let endpoint = SMTPEndpoint(parsing: mta) else { throw section.invalid("mta", "'\(mta)' is not an IPv4 address and port, like \"127.0.0.1:25\"") }
        settings.mta = endpoint
        settings.from = try section.string("from", default: "")
        settings.to = try section.string("to", default: "")
        for (key, value) in [("from", settings.from), ("to", settings.to)] where !value.isEmpty && !SMTPEndpoint.isPlainAddress(value) {
            throw section.invalid(key, "'\(value)' is not a mail address (user@domain)")
        }
        let minutes = try section.integer("interval_minutes", default: 60, in: 0...10_080)
        settings.interval = minutes == 0 ? nil : .seconds(minutes * 60)
        settings.deadline = .seconds(try section.integer("deadline_seconds", default: 180, in: 5...3_600))
        if settings.enabled {
            guard !settings.to.isEmpty else { throw section.invalid("to", "name the recipient of the canaries") }
            guard verify.enabled else { throw section.invalid("enabled", "a held canary is confirmed in the hold queue: set [verify] holds = true") }
            guard settings.deadline > verify.interval else {
                throw section.invalid("deadline_seconds", "must be longer than [verify] interval_seconds, so that a held canary is looked for in the hold queue")
            }
        }
        try section.rejectUnknownKeys()
        return settings
    }
}
