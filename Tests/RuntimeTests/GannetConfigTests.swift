import Detection
import FilterCore
import Foundation
import Runtime
import Testing

@Suite struct GannetConfigTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theShippedFileDocumentsExactlyTheEmbeddedDefaults() throws {
        let path = Self.packageRoot.appendingPathComponent("etc/gannet/gannet.toml").path
        let config = try GannetConfig.load(path: path)
        #expect(config == GannetConfig())
        // The shipped rules are the built-in starter rules, so the shipped config's `rules = ""`
        // and a site that points at etc/gannet/rules.gannet get the same engine.
        // Every key the daemon reads is written in the shipped file.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in ["socket", "socket_group", "backlog", "timeout_seconds", "on_internal_error", "debug_level", "capture_budget_bytes", "on_capture_budget", "header", "strip_incoming",
                    "blocked_senders", "blocked_domains", "allowed_senders", "allowed_domains", "tag_only_recipients", "model", "rules", "quarantine_threshold", "accept_threshold", "on_defer", "on_incomplete", "inline_budget_ms", "inline_byte_budget", "internal_domains", "protected_domains", "protected_names", "protected_names_file", "trusted_authserv_ids", "manifest", "split", "max_recall_drop", "max_fpr_rise", "hold_budget", "site_volume", "manifests", "feedback", "work_dir", "state_dir", "log_level", "decision_log", "listen", "workers", "queue_capacity", "on_queue_full", "time_limit_seconds", "release_command", "hook_command", "command_time_limit_seconds", "verdict_log", "max_message_bytes",
                    "store", "path", "write_behind_seconds", "max_records", "half_life_days", "sender_daily_credit", "domain_daily_credit", "recipients_per_message",
                    "addresses_per_display_name", "forget_after_days", "originating_daemon_names", "learn_queue_capacity", "host", "port", "key_prefix", "lookup_timeout_us",
                    "learn_timeout_ms", "lookup_connections", "cache_records", "tls", "tls_ca_file", "tls_cert_file", "tls_key_file", "tls_server_name", "holds", "postfix_config", "interval_seconds", "deadline_seconds",
                    "enabled", "mta", "from", "to", "interval_minutes"] {
            #expect(text.contains("\n\(key) = "), "\(key) is not documented")
        }
    }

    @Test func readsEverySetting() throws {
        let config = try GannetConfig.parse("""
            [milter]
            socket = "unix:/run/gannet/m.sock"
            socket_group = ""
            backlog = 16
            timeout_seconds = 10
            on_internal_error = "accept"
            capture_budget_bytes = 268435456
            on_capture_budget = "inline_only"
            [verdict]
            header = "X-Verdict"
            strip_incoming = false
            [lists]
            blocked_senders = ["a@b.example"]
            allowed_domains = ["@partner.example"]
            [detection.brands]
            "acme bank" = ["acmebank.example"]
            [daemon]
            state_dir = "/srv/gannet"
            log_level = "debug"
            [metrics]
            listen = "127.0.0.1:9464"
            """, file: "t.toml")
        #expect(config.milter.socket == .unix("/run/gannet/m.sock"))
        #expect(config.milter.socketGroup == "")
        #expect(config.milter.backlog == 16)
        #expect(config.milter.captureBudgetBytes == 256 << 20 && config.milter.onCaptureBudget == .inlineOnly)
        #expect(config.policy == FilterPolicy(verdictHeaderName: "X-Verdict", stripIncomingVerdictHeaders: false, onInternalError: .accept))
        #expect(config.lists.blockedAddresses == ["a@b.example"])
        #expect(config.lists.allowedDomains == ["partner.example"])
        #expect(config.daemon.stateDirectory == "/srv/gannet")
        #expect(config.daemon.logLevel == .debug)
        #expect(config.metrics.listen?.port == 9464)
        #expect(config.features.brands["acme bank"] == ["acmebank.example"])
        #expect(config.features.brands["paypal"] != nil)
    }

    @Test(arguments: [
        ("[milter]\nsockt = \"unix:/x\"", "t.toml:2:1: unknown key 'sockt' in [milter]"),
        ("typo = 1", "t.toml:1:1: unknown key 'typo' at the top level"),
        ("[milter]\nbacklog = \"many\"", "t.toml:2:1: milter.backlog: expected an integer, found string"),
        ("[milter]\ntimeout_seconds = 0", "t.toml:2:1: milter.timeout_seconds: 0 is outside 1…3600"),
        ("[milter]\non_internal_error = \"ignore\"", "t.toml:2:1: milter.on_internal_error: 'ignore' is not one of \"tempfail\", \"accept\""),
        ("[milter]\ncapture_budget_bytes = 4096", "t.toml:2:1: milter.capture_budget_bytes: 4096 is outside 1048576…1099511627776"),
        ("[milter]\non_capture_budget = \"drop\"", "t.toml:2:1: milter.on_capture_budget: 'drop' is not one of \"tempfail\", \"inline_only\""),
        ("[milter]\nsocket = \"/no/scheme\"", "t.toml:2:1: milter.socket: '/no/scheme' is not unix:/absolute/path (at most 107 bytes) or inet:PORT@HOST"),
        ("[milter]\nsocket = \"inet:\"", "t.toml:2:1: milter.socket: 'inet:' is not unix:/absolute/path (at most 107 bytes) or inet:PORT@HOST"),
        ("[milter]\nsocket = \"inet:25@\"", "t.toml:2:1: milter.socket: 'inet:25@' is not unix:/absolute/path (at most 107 bytes) or inet:PORT@HOST"),
        ("[lists]\nblocked_senders = [\"not an address\"]", "t.toml:2:1: lists.blocked_senders: 'not an address' is not a mail address (user@domain)"),
        ("[lists]\nblocked_domains = [1]", "t.toml:2:1: lists.blocked_domains: expected an array of strings, found an element of type integer"),
        ("[metrics]\nlisten = \"0.0.0.0:9464\"", "t.toml:2:1: metrics.listen: '0.0.0.0:9464' is not HOST:PORT on a loopback address (127.0.0.0/8)"),
        ("[daemon]\nstate_dir = \"relative\"", "t.toml:2:1: daemon.state_dir: must be an absolute path"),
        ("[verdict]\nheader = \"Bad Header:\"", "t.toml:2:1: verdict.header: 'Bad Header:' is not a valid header field name"),
        ("milter = 3", "t.toml:1:1: milter: expected a table, found integer"),
        ("[detection.brands]\nacme = []", "t.toml:2:1: detection.brands.acme: give the domains acme really sends from"),
        ("[milter\n", "t.toml:1:8: expected ']', found 'end of line'"),
        ("[detection]\non_defer = \"drop\"", "t.toml:2:1: detection.on_defer: 'drop' is not one of \"hold\", \"accept\""),
        ("[async]\nrelease_command = [\"postsuper\", \"-H\"]", "t.toml:2:1: async.release_command: must start with an absolute program path"),
        ("[async]\nworkers = 0", "t.toml:2:1: async.workers: 0 is outside 1…256"),
        ("[async]\non_queue_full = \"drop\"", "t.toml:2:1: async.on_queue_full: 'drop' is not one of \"hold\", \"tempfail\""),
        ("[baselines]\nstore = \"memcached\"", "t.toml:2:1: baselines.store: 'memcached' is not one of \"embedded\", \"redis\", \"off\""),
        ("[baselines]\npath = \"baselines.sqlite\"", "t.toml:2:1: baselines.path: must be an absolute path"),
        ("[baselines]\nhalf_life_days = 0", "t.toml:2:1: baselines.half_life_days: 0.0 is outside 1.0…3650.0"),
        ("[baselines]\nmax_records = 0", "t.toml:2:1: baselines.max_records: 0 is outside 10000…1000000000"),
        ("[baselines]\nmax_records = -4000000", "t.toml:2:1: baselines.max_records: -4000000 is outside 10000…1000000000"),
        ("[baselines]\nmax_records = 2.5e6", "t.toml:2:1: baselines.max_records: expected an integer, found float"),
        ("[baselines.redis]\nhost = \"redis.local\"", "t.toml:2:1: baselines.redis.host: 'redis.local' is not a dotted IPv4 address"),
        ("[baselines.redis]\ntimeout = 5", "t.toml:2:1: unknown key 'timeout' in [baselines.redis]"),
        ("[baselines.redis]\ntls_ca_file = \"/etc/ssl/certs/ca-certificates.crt\"", "t.toml:2:1: baselines.redis.tls_ca_file: set tls = true to use it"),
        ("[baselines.redis]\ntls = true\ntls_cert_file = \"client.crt\"", "t.toml:3:1: baselines.redis.tls_cert_file: must be an absolute path"),
        ("[baselines.redis]\npassword_file = \"secret\"", "t.toml:2:1: baselines.redis.password_file: must be an absolute path"),
        ("[baselines.redis]\npassword_file = \"/nonexistent/secret\"", "t.toml:2:1: baselines.redis.password_file: cannot read /nonexistent/secret"),
    ])
    func invalidConfigurationsSayWhereAndWhy(text: String, message: String) {
        #expect(throws: ConfigError.self) { try GannetConfig.parse(text, file: "t.toml") }
        do {
            _ = try GannetConfig.parse(text, file: "t.toml")
        } catch {
            #expect(error.description == message)
        }
    }

    /// TLS files are loaded with the configuration, so `gannet check` reports a bad one.
    @Test func aRedisTLSFileThatDoesNotLoadIsAConfigurationError() {
        do {
            _ = try GannetConfig.parse("[baselines.redis]\ntls = true\ntls_ca_file = \"/nonexistent/ca.crt\"", file: "t.toml")
            Issue.record("a missing authority file was accepted")
        } catch {
            #expect(error.description.hasPrefix("t.toml:2:1: baselines.redis.tls: cannot load the authorities in /nonexistent/ca.crt"), "\(error)")
        }
    }

    @Test func readsTheBaselinesSettings() throws {
        let config = try GannetConfig.parse("""
            [detection]
            internal_domains = ["mail.corp.example", "mx.corp.co.uk"]
            [baselines]
            store = "redis"
            path = "/srv/b.sqlite"
            write_behind_seconds = 2
            max_records = 250000
            half_life_days = 14
            sender_daily_credit = 3
            domain_daily_credit = 30
            recipients_per_message = 8
            addresses_per_display_name = 4
            forget_after_days = 90
            originating_daemon_names = ["SUBMISSION"]
            learn_queue_capacity = 50
            [baselines.redis]
            host = "10.0.0.7"
            port = 6380
            key_prefix = "mx1:"
            lookup_timeout_us = 1500
            learn_timeout_ms = 250
            lookup_connections = 2
            cache_records = 1000
            """, file: "t.toml")
        let baselines = config.baselines
        #expect(baselines.store == .redis && baselines.path == "/srv/b.sqlite" && baselines.writeBehindSeconds == 2)
        #expect(baselines.maxRecords == 250_000 && GannetConfig().baselines.maxRecords == 4_000_000)
        #expect(baselines.model.halfLifeSeconds == 14 * 86_400)
        #expect(baselines.model.senderDailyCredit == 3 && baselines.model.domainDailyCredit == 30)
        #expect(baselines.model.recipientsPerMessage == 8 && baselines.model.addressesPerDisplayName == 4)
        #expect(baselines.model.forgetAfterSeconds == 90 * 86_400 && baselines.redis.recordTTL == .seconds(90 * 86_400))
        // Registrable forms, as the model compares sender domains.
        #expect(baselines.model.internalDomains == ["corp.example", "corp.co.uk"])
        #expect(baselines.originatingDaemonNames == ["SUBMISSION"] && baselines.learnQueueCapacity == 50)
        #expect(baselines.redis.host == "10.0.0.7" && baselines.redis.port == 6380 && baselines.redis.keyPrefix == "mx1:")
        #expect(baselines.redis.lookupTimeout == .microseconds(1500) && baselines.redis.learnTimeout == .milliseconds(250))
        #expect(baselines.redis.lookupConnections == 2 && baselines.redis.cacheCapacity == 1000)
    }

    @Test func readsTheAsyncSettingsAndTheOlderNameOfHold() throws {
        let config = try GannetConfig.parse("""
            [detection]
            on_defer = "quarantine"
            [async]
            workers = 4
            queue_capacity = 10
            on_queue_full = "tempfail"
            time_limit_seconds = 5
            release_command = ["/usr/sbin/postsuper", "-c", "/srv/pf", "-H"]
            hook_command = ["/usr/local/bin/remediate"]
            command_time_limit_seconds = 3
            verdict_log = "/srv/verdicts.jsonl"
            max_message_bytes = 4096
            """, file: "t.toml")
        #expect(config.policy.onDefer == .hold)
        #expect(config.policy.spoolByteLimit == 4096)
        #expect(config.asyncScoring.workers == 4 && config.asyncScoring.queueCapacity == 10 && config.asyncScoring.onQueueFull == .tempfail)
        #expect(config.asyncScoring.timeLimit == .seconds(5) && config.asyncScoring.commandTimeLimit == .seconds(3))
        #expect(config.asyncScoring.releaseCommand == ["/usr/sbin/postsuper", "-c", "/srv/pf", "-H"])
        #expect(config.asyncScoring.hookCommand == ["/usr/local/bin/remediate"])
        #expect(config.asyncScoring.verdictLog == "/srv/verdicts.jsonl")
        #expect(try GannetConfig.parse("[detection]\non_defer = \"accept\"", file: "t.toml").policy.onDefer == .accept)
    }

    @Test func unreadableFilesAreConfigErrors() {
        do {
            _ = try GannetConfig.load(path: "/nonexistent/gannet.toml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/gannet.toml: cannot read"))
        }
    }
}
