import Detection
import Features
import FilterCore

/// The whole configuration of a Gannet daemon: one TOML file, every key documented in
/// etc/gannet/gannet.toml. The defaults here are the embedded configuration that
/// `gannet serve` runs with when no file is given.
public struct GannetConfig: Sendable, Equatable {
    /// `[milter]`: how Postfix reaches Gannet. Changes take effect on restart.
    public var milter = MilterSettings()
    /// `[verdict]` and `milter.on_internal_error`: what is done with a verdict. Reloadable.
    public var policy = FilterPolicy()
    /// `[lists]`: business allow and block lists. Reloadable.
    public var lists = SenderLists.empty
    /// `[detection]`: who is internal, who and what is impersonated, whose authentication
    /// results to trust. Reloadable.
    public var features = FeatureSettings()
    /// `[detection]`: model, rules and decision policy. Reloadable.
    public var detection = DetectionSettings()
    /// `[deploy]`: what `gannet deploy` checks a candidate model against.
    public var deploy = DeploySettings()
    /// `[retrain]`: what `gannet retrain` learns from and where it works.
    public var retrain = RetrainSettings()
    /// `[async]`: full scoring of deferred messages. Changes take effect on restart.
    public var asyncScoring = AsyncSettings()
    /// `[baselines]`: sender, recipient and pair history. Changes take effect on restart.
    public var baselines = BaselinesConfig()
    /// `[daemon]`: process-level settings. Changes take effect on restart.
    public var daemon = DaemonSettings()
    /// `[metrics]`: the Prometheus endpoint. Changes take effect on restart.
    public var metrics = MetricsSettings()
    /// `[verify]`: confirming Postfix holds what Gannet quarantines. Changes take effect on restart.
    public var verify = HoldVerification()
    /// `[selftest]`: canaries through the MTA. Changes take effect on restart.
    public var selftest = SelftestSettings()

    public init() {}

    /// Parses and validates a configuration; `file` names it in error messages.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> GannetConfig {
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(text)
        } catch {
            throw ConfigError(file: file, position: error.position, message: error.message)
        }
        var root = ConfigSection(table: document, name: "", file: file)
        var config = GannetConfig()

        var milter = try root.section("milter")
        config.milter.socket = try MilterSocket(parsing: milter.string("socket", default: config.milter.socket.description), in: milter, key: "socket")
        config.milter.socketGroup = try milter.string("socket_group", default: config.milter.socketGroup)
        config.milter.backlog = try milter.integer("backlog", default: config.milter.backlog, in: 1...65_535)
        config.milter.timeoutSeconds = try milter.integer("timeout_seconds", default: config.milter.timeoutSeconds, in: 1...3_600)
        config.milter.debugLevel = try milter.integer("debug_level", default: config.milter.debugLevel, in: 0...6)
        config.milter.captureBudgetBytes = try milter.integer("capture_budget_bytes", default: config.milter.captureBudgetBytes, in: (1 << 20)...(1 << 40))
        config.milter.onCaptureBudget = try milter.choice("on_capture_budget", default: config.milter.onCaptureBudget)
        config.policy.onInternalError = try milter.choice("on_internal_error", default: config.policy.onInternalError)
        try milter.rejectUnknownKeys()

        var verdict = try root.section("verdict")
        let header = try verdict.string("header", default: config.policy.verdictHeaderName)
        guard Self.isHeaderName(header) else { throw verdict.invalid("header", "'\(header)' is not a valid header field name") }
        config.policy.verdictHeaderName = header
        config.policy.stripIncomingVerdictHeaders = try verdict.bool("strip_incoming", default: config.policy.stripIncomingVerdictHeaders)
        try verdict.rejectUnknownKeys()

        var lists = try root.section("lists")
        let blockedSenders = try Self.addresses(&lists, "blocked_senders")
        let blockedDomains = try Self.domains(&lists, "blocked_domains")
        let allowedSenders = try Self.addresses(&lists, "allowed_senders")
        let allowedDomains = try Self.domains(&lists, "allowed_domains")
        let tagOnly = try lists.strings("tag_only_recipients")
        for entry in tagOnly where MailAddress(parsing: entry) == nil && !entry.contains(".") {
            throw lists.invalid("tag_only_recipients", "'\(entry)' is neither a mail address nor a domain")
        }
        config.lists = SenderLists(blockedAddresses: blockedSenders, blockedDomains: blockedDomains, allowedAddresses: allowedSenders, allowedDomains: allowedDomains, tagOnlyRecipients: tagOnly)
        try lists.rejectUnknownKeys()

        var detection = try root.section("detection")
        var brandSection = try detection.section("brands")
        var brands = KnownDomains.defaultBrands
        for brand in brandSection.keys {
            let domains = try Self.domains(&brandSection, brand)
            guard !domains.isEmpty else { throw brandSection.invalid(brand, "give the domains \(brand) really sends from") }
            brands[brand.lowercased()] = domains
        }
        config.policy.inlineByteBudget = try detection.integer("inline_byte_budget", default: config.policy.inlineByteBudget, in: 1_024...(64 << 20))
        var protectedNames = try detection.strings("protected_names")
        let namesFile = try detection.string("protected_names_file", default: "")
        if !namesFile.isEmpty {
            guard namesFile.hasPrefix("/") else { throw detection.invalid("protected_names_file", "must be an absolute path") }
            guard let text = try? String(contentsOfFile: namesFile, encoding: .utf8) else { throw detection.invalid("protected_names_file", "cannot read \(namesFile)") }
            protectedNames += ProtectedNames.readFile(text)
        }
        config.features = FeatureSettings(
            internalDomains: try Self.domains(&detection, "internal_domains"),
            protectedDomains: try Self.domains(&detection, "protected_domains"),
            protectedNames: protectedNames,
            brands: brands,
            trustedAuthservIDs: try detection.strings("trusted_authserv_ids")
        )
        config.detection.modelPath = try detection.string("model", default: "")
        config.detection.rulesPath = try detection.string("rules", default: "")
        // "quarantine" is the older name of "hold".
        let onDefer = try detection.string("on_defer", default: config.policy.onDefer.rawValue)
        guard let deferAction = DeferAction(rawValue: onDefer == "quarantine" ? "hold" : onDefer) else {
            throw detection.invalid("on_defer", "'\(onDefer)' is not one of \"hold\", \"accept\"")
        }
        config.policy.onDefer = deferAction
        config.policy.inlineBudget = .milliseconds(try detection.integer("inline_budget_ms", default: 5, in: 1...10_000))
        config.policy.onIncomplete = try detection.choice("on_incomplete", default: config.policy.onIncomplete)
        config.detection.policy.bulk = try detection.choice("bulk", default: config.detection.policy.bulk)
        config.detection.policy.quarantineThreshold = try detection.number("quarantine_threshold", default: config.detection.policy.quarantineThreshold, in: 0...1)
        config.detection.policy.acceptThreshold = try detection.number("accept_threshold", default: config.detection.policy.acceptThreshold, in: 0...1)
        guard config.detection.policy.acceptThreshold <= config.detection.policy.quarantineThreshold else {
            throw detection.invalid("accept_threshold", "must not be above quarantine_threshold")
        }
        try detection.rejectUnknownKeys()

        var deploy = try root.section("deploy")
        config.deploy.manifest = try deploy.string("manifest", default: "")
        config.deploy.split = try deploy.string("split", default: config.deploy.split)
        config.deploy.maximumRecallDrop = try deploy.number("max_recall_drop", default: config.deploy.maximumRecallDrop, in: 0...1)
        config.deploy.maximumFalsePositiveRise = try deploy.number("max_fpr_rise", default: config.deploy.maximumFalsePositiveRise, in: 0...1)
        for (key, path) in [("hold_budget", \DeploySettings.holdBudgetPerWeek), ("site_volume", \.siteVolumePerWeek)] {
            let text = try deploy.string(key, default: "")
            guard !text.isEmpty else { continue }
            guard let perWeek = HoldBudget.perWeek(text), perWeek > 0 else { throw deploy.invalid(key, "'\(text)' is not a count a week or a day, like \"5/week\" or \"3000/day\"") }
            config.deploy[keyPath: path] = perWeek
        }
        try deploy.rejectUnknownKeys()

        var retrain = try root.section("retrain")
        config.retrain.manifests = try retrain.strings("manifests")
        config.retrain.split = try retrain.string("split", default: config.retrain.split)
        config.retrain.feedback = try retrain.strings("feedback")
        config.retrain.workDirectory = try retrain.string("work_dir", default: "")
        try retrain.rejectUnknownKeys()

        var asyncSection = try root.section("async")
        config.asyncScoring.workers = try asyncSection.integer("workers", default: config.asyncScoring.workers, in: 1...256)
        config.asyncScoring.queueCapacity = try asyncSection.integer("queue_capacity", default: config.asyncScoring.queueCapacity, in: 1...1_000_000)
        config.asyncScoring.timeLimit = .seconds(try asyncSection.integer("time_limit_seconds", default: Int(config.asyncScoring.timeLimit.components.seconds), in: 1...3_600))
        config.asyncScoring.onQueueFull = try asyncSection.choice("on_queue_full", default: config.asyncScoring.onQueueFull)
        config.asyncScoring.releaseCommand = try asyncSection.strings("release_command", default: config.asyncScoring.releaseCommand)
        guard config.asyncScoring.releaseCommand.first?.hasPrefix("/") == true else { throw asyncSection.invalid("release_command", "must start with an absolute program path") }
        config.asyncScoring.hookCommand = try asyncSection.strings("hook_command", default: config.asyncScoring.hookCommand)
        if let program = config.asyncScoring.hookCommand.first, !program.hasPrefix("/") { throw asyncSection.invalid("hook_command", "must start with an absolute program path") }
        config.asyncScoring.commandTimeLimit = .seconds(try asyncSection.integer("command_time_limit_seconds", default: Int(config.asyncScoring.commandTimeLimit.components.seconds), in: 1...3_600))
        config.asyncScoring.verdictLog = try asyncSection.string("verdict_log", default: config.asyncScoring.verdictLog)
        if !config.asyncScoring.verdictLog.isEmpty, !config.asyncScoring.verdictLog.hasPrefix("/") { throw asyncSection.invalid("verdict_log", "must be an absolute path") }
        config.policy.spoolByteLimit = try asyncSection.integer("max_message_bytes", default: config.policy.spoolByteLimit, in: 1_024...(1 << 30))
        try asyncSection.rejectUnknownKeys()

        var baselines = try root.section("baselines")
        config.baselines = try BaselinesConfig.parse(&baselines)
        // Internal senders are not external contacts, and only internal recipients get
        // recipient statistics.
        config.baselines.model.internalDomains = config.features.internalRegistrable

        var daemon = try root.section("daemon")
        config.daemon.stateDirectory = try daemon.string("state_dir", default: config.daemon.stateDirectory)
        guard config.daemon.stateDirectory.hasPrefix("/") else { throw daemon.invalid("state_dir", "must be an absolute path") }
        config.daemon.logLevel = try daemon.choice("log_level", default: config.daemon.logLevel)
        config.daemon.decisionLog = try daemon.string("decision_log", default: "")
        if !config.daemon.decisionLog.isEmpty, !config.daemon.decisionLog.hasPrefix("/") { throw daemon.invalid("decision_log", "must be an absolute path") }
        try daemon.rejectUnknownKeys()

        var metrics = try root.section("metrics")
        let listen = try metrics.string("listen", default: config.metrics.listen?.description ?? "")
        if listen.isEmpty {
            config.metrics.listen = nil
        } else {
            guard let endpoint = LoopbackEndpoint(parsing: listen) else {
                throw metrics.invalid("listen", "'\(listen)' is not HOST:PORT on a loopback address (127.0.0.0/8)")
            }
            config.metrics.listen = endpoint
        }
        try metrics.rejectUnknownKeys()

        var verify = try root.section("verify")
        config.verify = try HoldVerification.parse(&verify)

        var selftest = try root.section("selftest")
        config.selftest = try SelftestSettings.parse(&selftest, verify: config.verify)

        try root.rejectUnknownKeys()
        return config
    }

    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
    }

    private static func addresses(_ section: inout ConfigSection, _ key: String) throws(ConfigError) -> [String] {
        let values = try section.strings(key)
        for value in values where MailAddress(parsing: value) == nil {
            throw section.invalid(key, "'\(value)' is not a mail address (user@domain)")
        }
        return values
    }

    private static func domains(_ section: inout ConfigSection, _ key: String) throws(ConfigError) -> [String] {
        let values = try section.strings(key)
        for value in values {
            let bare = value.hasPrefix("@") ? String(value.dropFirst()) : value
            let valid = !bare.isEmpty && bare.contains(".") && bare.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "@") }
            if !valid { throw section.invalid(key, "'\(value)' is not a domain name") }
        }
        return values
    }
}

/// `[milter]` settings that need a restart to change.
public struct MilterSettings: Sendable, Equatable {
    /// Where libmilter listens.
    public var socket = MilterSocket.unix("/var/spool/postfix/gannet/milter.sock")
    /// Group given to a Unix socket so Postfix can connect; empty keeps the daemon's group.
    public var socketGroup = "postfix"
    /// Connections the listening socket queues before Gannet accepts them.
    public var backlog = 128
    /// Seconds libmilter waits for Postfix on one read or write before ending the session.
    public var timeoutSeconds = 30
    /// libmilter's own debug logging (0 = off … 6).
    public var debugLevel = 0
    /// Bytes all sessions together keep of messages in progress, for spooling them if
    /// deferred: a hundred concurrent sessions of Postfix's default 10 MB limit stay within
    /// the default.
    public var captureBudgetBytes = 1 << 30
    /// What a message gets when keeping more of it would pass the budget.
    public var onCaptureBudget = CaptureBudget.Exhausted.tempfail
}

/// `[detection]` settings beyond the feature extractor's.
public struct DetectionSettings: Sendable, Equatable {
    /// Model file (JSON); "" runs without a model (lists and rules only).
    public var modelPath = ""
    /// Rules file; "" runs the built-in starter rules (the same as etc/gannet/rules.gannet).
    public var rulesPath = ""
    /// Base log-odds and thresholds used when no model is loaded.
    public var policy = DetectionPolicy()
}

/// `[deploy]` settings: the gate a candidate model must pass.
public struct DeploySettings: Sendable, Equatable {
    /// Labelled corpus (manifest) both models are evaluated on; "" skips the comparison.
    public var manifest = ""
    public var split = "test"
    /// How much recall (share of attacks quarantined) may drop.
    public var maximumRecallDrop = 0.0
    /// How much the ham false-positive rate may rise.
    public var maximumFalsePositiveRise = 0.0005
    /// Legitimate messages a week the site accepts to see held (`HoldBudget`); nil trains to
    /// the default false-positive rate.
    public var holdBudgetPerWeek: Double?
    /// Legitimate messages the site receives a week; nil counts them in the decision log.
    public var siteVolumePerWeek: Double?
}

/// `[retrain]` settings.
public struct RetrainSettings: Sendable, Equatable {
    /// Labelled corpora (manifests) to train on.
    public var manifests: [String] = []
    /// The manifests' split to train on.
    public var split = "train"
    /// Folders of reviewed mail with ham/, spam/ and phish/ subfolders (released false
    /// positives, reported phishing); they join the training data.
    public var feedback: [String] = []
    /// Where candidates and reports go; "" means `<state_dir>/models`.
    public var workDirectory = ""
}

/// `[daemon]` settings.
public struct DaemonSettings: Sendable, Equatable {
    /// Where Gannet keeps state (spool, baselines, verdict log).
    public var stateDirectory = "/var/lib/gannet"
    /// Lowest log level written.
    public var logLevel = LogLevel.info
    /// JSON-lines file every decision is appended to (by a writer thread; dropped, never
    /// waited for, when it falls behind); "" writes none.
    public var decisionLog = ""
}

/// Log levels, named as in swift-log.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// `[metrics]` settings.
public struct MetricsSettings: Sendable, Equatable {
    /// Loopback address serving Prometheus text at /metrics; nil turns the endpoint off.
    public var listen: LoopbackEndpoint?
}
