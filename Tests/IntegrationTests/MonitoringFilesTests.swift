import Foundation
import Testing

/// The Grafana dashboard and the Prometheus alert rules name only series the daemon really
/// exports (scraped from a running daemon), and Prometheus's own tooling accepts them.
@Suite(.serialized)
struct MonitoringFilesTests {
    static let alerts = TestTools.script("prometheus/gannet-alerts.yml")
    static let alertTests = TestTools.script("prometheus/gannet-alerts.test.yml")
    static let dashboard = TestTools.script("grafana/gannet.json")
    static let promtoolMissing = TestTools.missing(["promtool"])

    /// Series names a running daemon exposes: every `# TYPE` family, with a histogram's
    /// `_bucket`, `_sum` and `_count`.
    static func exportedNames() throws -> Set<String> {
        let directory = try TestTools.temporaryDirectory("mon")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try DaemonProcess(directory: directory, config: TestConfig.text())
        defer { daemon.stop() }
        let port = try #require(daemon.metricsPort, "no metrics address in the log:\n\(daemon.log)")
        let text = try #require(HTTPGet.body(port: port, path: "/metrics"))
        var names: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let words = line.split(separator: " ")
            guard words.count == 4 else { continue }
            let name = String(words[2])
            names.insert(name)
            if words[3] == "histogram" { names.formUnion([name + "_bucket", name + "_sum", name + "_count"]) }
        }
        return names
    }

    /// Every `gannet_…` identifier in a file.
    static func referencedNames(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"\bgannet_[a-z_]+"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    /// The dashboard's PromQL expressions, with Grafana's variables given concrete values.
    static func dashboardExpressions() throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dashboard)))
        let panels = (object as? [String: Any])?["panels"] as? [[String: Any]] ?? []
        return panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
            .map { $0.replacingOccurrences(of: "$__rate_interval", with: "5m").replacingOccurrences(of: "$instance", with: ".*") }
    }

    @Test(.enabled(if: TestTools.missing([]) == nil, "\(TestTools.missing([]) ?? "")"))
    func theyNameOnlyExportedSeries() throws {
        let exported = try Self.exportedNames()
        #expect(exported.contains("gannet_inline_decision_seconds_bucket") && exported.contains("gannet_async_queue_depth"), "\(exported.sorted())")
        let referenced = try Self.referencedNames(Self.alerts).union(Self.referencedNames(Self.dashboard))
        #expect(referenced.count >= 10)
        #expect(referenced.subtracting(exported).isEmpty, "not exported: \(referenced.subtracting(exported).sorted())")
        let panels = try Self.dashboardExpressions()
        #expect(panels.count >= 10)
    }

    @Test(.enabled(if: promtoolMissing == nil, "\(promtoolMissing ?? "")"))
    func promtoolAcceptsTheRulesAndTheirTests() throws {
        let checked = try Command.run("promtool", ["check", "rules", Self.alerts])
        #expect(checked.status == 0, "\(checked.combined)")
        let tested = try Command.run("promtool", ["test", "rules", Self.alertTests])
        #expect(tested.status == 0, "\(tested.combined)")
    }

    /// promtool has no bare query checker; each dashboard expression becomes a recording rule.
    @Test(.enabled(if: promtoolMissing == nil, "\(promtoolMissing ?? "")"))
    func promtoolParsesEveryDashboardQuery() throws {
        let rules = try Self.dashboardExpressions().enumerated().map { index, expression in
            "      - record: gannet_dashboard:query\(index)\n        expr: \(String(decoding: try JSONSerialization.data(withJSONObject: expression, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self))\n"
        }
        let path = NSTemporaryDirectory() + "gannet-dashboard-\(UUID().uuidString).yml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ("groups:\n  - name: dashboard\n    rules:\n" + rules.joined()).write(toFile: path, atomically: true, encoding: .utf8)
        let checked = try Command.run("promtool", ["check", "rules", path])
        #expect(checked.status == 0, "\(checked.combined)")
        #expect(checked.output.contains("SUCCESS: \(rules.count) rules found"), "\(checked.combined)")
    }
}
