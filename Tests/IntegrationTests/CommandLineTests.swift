import Foundation
import Testing

/// `gannet check` and `gannet score`, as scripts and people call them.
@Suite(.enabled(if: TestTools.missing([]) == nil, "\(TestTools.missing([]) ?? "")"))
struct CommandLineTests {
    @Test func checkAcceptsTheShippedConfigAndRejectsUnknownKeysWithTheirLine() throws {
        let shipped = TestTools.packageRoot.appendingPathComponent("etc/gannet/gannet.toml").path
        let ok = try Command.run(TestTools.gannetBinary, ["check", "--config", shipped])
        #expect(ok.status == 0, "\(ok.combined)")
        #expect(ok.output.contains("OK"))

        let directory = try TestTools.temporaryDirectory("check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broken = "\(directory)/broken.toml"
        try "[milter]\nsocket = \"unix:/run/gannet.sock\"\n\n[lists]\nblock_senders = []\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let rejected = try Command.run(TestTools.gannetBinary, ["check", "--config", broken])
        #expect(rejected.status != 0)
        #expect(rejected.errorOutput.contains("\(broken):5:1: unknown key 'block_senders' in [lists]"), "\(rejected.combined)")
    }

    @Test func scoreJSONFollowsTheContractAndReportsUnreadablePaths() throws {
        let directory = try TestTools.temporaryDirectory("score")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "From: Bad <blocked@evil.example>\nTo: a@gannet.test\nSubject: pay now\n\nWire it today.\n".write(toFile: "\(directory)/blocked.eml", atomically: true, encoding: .utf8)
        try "From: Alice <alice@example.org>\nTo: a@gannet.test\nSubject: hi\n\nHello.\n".write(toFile: "\(directory)/plain.eml", atomically: true, encoding: .utf8)
        try "[lists]\nblocked_senders = [\"blocked@evil.example\"]\n".write(toFile: "\(directory)/gannet.toml", atomically: true, encoding: .utf8)

        let result = try Command.run(TestTools.gannetBinary, ["score", "--config", "\(directory)/gannet.toml", "--json",
                                                               "\(directory)/blocked.eml", "\(directory)/plain.eml", "\(directory)/missing.eml"])
        #expect(result.status != 0, "an unreadable path must make the exit status non-zero")
        let lines = result.output.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 3)
        let blocked = try #require(lines[0])
        #expect(blocked["decision"] as? String == "quarantine")
        #expect(blocked["inline_decision"] as? String == "quarantine")
        #expect(blocked["category"] as? String == "policy")
        #expect(blocked["score"] as? Double == 1)
        #expect(blocked["log_odds"] as? Double == 40)
        #expect((blocked["reasons"] as? [[String: Any]])?.first?["name"] as? String == "BLOCKED_SENDER")
        // Timings differ from run to run, so they come only when asked for.
        #expect(blocked["inline_us"] == nil)
        #expect(blocked["path"] as? String == "\(directory)/blocked.eml")
        #expect(lines[1]?["decision"] as? String == "accept")
        #expect((lines[2]?["error"] as? String)?.contains("cannot open") == true)
        // Whatever a path holds comes back intact from the JSON.
        let awkward = "\(directory)/quote\"back\\slash\ttab\u{1}ü.eml"
        try FileManager.default.copyItem(atPath: "\(directory)/plain.eml", toPath: awkward)
        let escaped = try Command.run(TestTools.gannetBinary, ["score", "--json", awkward])
        #expect((try JSONSerialization.jsonObject(with: Data(escaped.output.utf8)) as? [String: Any])?["path"] as? String == awkward)
        let timed = try Command.run(TestTools.gannetBinary, ["score", "--json", "--timings", "\(directory)/plain.eml"])
        #expect((try JSONSerialization.jsonObject(with: Data(timed.output.utf8)) as? [String: Any])?["inline_us"] is Int)
    }

    /// A hand installation gets the configuration the package ships: the model in service in
    /// /var/lib/gannet (where the shipped default is linked), the starter rules from
    /// /etc/gannet, everything else at its documented default.
    @Test func theInstalledConfigurationNamesTheDefaultModel() throws {
        let directory = try TestTools.temporaryDirectory("packaged-config")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let printed = try Command.run(TestTools.script("packaged-config.sh"), [])
        #expect(printed.status == 0, "\(printed.combined)")
        #expect(printed.output.contains("\nmodel = \"/var/lib/gannet/model.gmodel\"\n") && printed.output.contains("\nrules = \"/etc/gannet/rules.gannet\"\n"))
        // Checked as installed: the model linked to the shipped one, as postinst does, and
        // /etc/gannet standing for the source tree's etc/gannet.
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/model.gmodel", withDestinationPath: "\(TestTools.packageRoot.path)/etc/gannet/model.gmodel")
        let installed = printed.output.replacingOccurrences(of: "\"/etc/gannet/", with: "\"\(TestTools.packageRoot.path)/etc/gannet/")
            .replacingOccurrences(of: "\"/var/lib/gannet/model.gmodel\"", with: "\"\(directory)/model.gmodel\"")
        try installed.write(toFile: "\(directory)/gannet.toml", atomically: true, encoding: .utf8)
        let checked = try Command.run(TestTools.gannetBinary, ["check", "--config", "\(directory)/gannet.toml"])
        #expect(checked.status == 0, "\(checked.combined)")
        #expect(checked.output.contains("model: gannet-"), "\(checked.output)")
    }

    /// `train --hold-budget`: the quarantine threshold follows the share of the site's mail
    /// the budget allows, and the cost in recall is printed.
    @Test func aHoldBudgetSetsTheQuarantineThreshold() throws {
        let directory = try TestTools.temporaryDirectory("budget")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var manifest = ""
        for index in 0..<240 {
            let (label, body) = index % 2 == 0
                ? ("ham", "Your account \(index) is fine: see the status page at http://203.0.113.\(index % 250)/status today.")
                : ("phish", "Your account is suspended. Verify your password at http://198.51.100.\(index % 250)/login today.")
            try "From: s\(index)@example\(index % 7).org\nSubject: note \(index)\n\n\(body)\n".write(toFile: "\(directory)/\(index).eml", atomically: true, encoding: .utf8)
            manifest += "\(directory)/\(index).eml\t\(label)\tsite\ttrain\n"
        }
        try manifest.write(toFile: "\(directory)/manifest.tsv", atomically: true, encoding: .utf8)
        func train(_ extra: [String], _ out: String) throws -> (output: String, quarantine: Double) {
            let result = try Command.run(TestTools.gannetBinary, ["train", "--manifest", "\(directory)/manifest.tsv", "--created", "2026-12-04T00:00:00Z", "--out", "\(directory)/\(out)"] + extra)
            #expect(result.status == 0, "\(result.combined)")
            let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(out)"))) as? [String: Any]
            return (result.output, ((model?["thresholds"] as? [String: Any])?["quarantine"] as? Double) ?? -1)
        }
        let usual = try train([], "usual.json")
        let generous = try train(["--hold-budget", "10/week", "--site-volume", "100/week"], "generous.json")
        #expect(generous.output.contains("hold budget: 10 legitimate a week of 100 → at most 10.0000% of ham held"), "\(generous.output)")
        #expect(generous.quarantine <= usual.quarantine, "a budget of 10% of ham holds no more than 0.1%: \(generous.quarantine) vs \(usual.quarantine)")
        let refused = try Command.run(TestTools.gannetBinary, ["train", "--manifest", "\(directory)/manifest.tsv", "--out", "\(directory)/x.json", "--hold-budget", "5/month"])
        #expect(refused.status != 0 && refused.combined.contains("is not a count a week or a day"), "\(refused.combined)")
        let noVolume = try Command.run(TestTools.gannetBinary, ["train", "--manifest", "\(directory)/manifest.tsv", "--out", "\(directory)/x.json", "--hold-budget", "5/week"])
        #expect(noVolume.status != 0 && noVolume.combined.contains("needs the site's volume"), "\(noVolume.combined)")
    }

    /// The company directory's names become protected: a message borrowing one from outside
    /// shows it in its features.
    @Test func vipsImportedFromAnLDIFExportAreProtected() throws {
        let directory = try TestTools.temporaryDirectory("vips")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "dn: cn=Jane Doe,ou=people,dc=corp,dc=example\ncn: Jane Doe\nmail: jane@corp.example\n\ndn: cn=John Smith,ou=people,dc=corp,dc=example\ndisplayName: John Smith\n"
            .write(toFile: "\(directory)/people.ldif", atomically: true, encoding: .utf8)
        let imported = try Command.run(TestTools.gannetBinary, ["vips", "import", "--from", "\(directory)/people.ldif", "--out", "\(directory)/vips.txt"])
        #expect(imported.status == 0 && imported.output.contains("2 names"), "\(imported.combined)")
        try "[detection]\ninternal_domains = [\"corp.example\"]\nprotected_names_file = \"\(directory)/vips.txt\"\n".write(toFile: "\(directory)/gannet.toml", atomically: true, encoding: .utf8)
        try "From: John Smith <john.smith.ceo@freemail.example>\nTo: ap@corp.example\nSubject: wire\n\nPlease send the wire today.\n".write(toFile: "\(directory)/m.eml", atomically: true, encoding: .utf8)
        let explained = try Command.run(TestTools.gannetBinary, ["explain", "--config", "\(directory)/gannet.toml", "\(directory)/m.eml"])
        #expect(explained.output.split(separator: "\n").contains { $0.contains("display_name_protected") }, "\(explained.output)")
        let unprotected = try Command.run(TestTools.gannetBinary, ["explain", "\(directory)/m.eml"])
        #expect(!unprotected.output.contains("display_name_protected"), "\(unprotected.output)")
    }

    /// Stored mail labelled in place: each file once, whatever form its folder is named in,
    /// and messages inside an mbox left out with a word on why.
    @Test func labelsImportRecordsEachFileOnceAndSaysWhatItLeftOut() throws {
        let directory = try TestTools.temporaryDirectory("labels")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/reported/cur", withIntermediateDirectories: true)
        for name in ["1.eml", "2.eml"] {
            try "From: a@b.example\nTo: c@d.example\nSubject: \(name)\n\nHi\n".write(toFile: "\(directory)/reported/cur/\(name)", atomically: true, encoding: .utf8)
        }
        try "From a@b.example Thu Dec  3 10:00:00 2026\nFrom: a@b.example\nSubject: boxed\n\nHi\n".write(toFile: "\(directory)/archive.mbox", atomically: true, encoding: .utf8)
        let config = "\(directory)/gannet.toml"
        try "[daemon]\nstate_dir = \"\(directory)/state\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let imported = try Command.run(TestTools.gannetBinary, ["labels", "import", "--config", config, "--label", "phish", "\(directory)/reported", "\(directory)/archive.mbox"])
        #expect(imported.status == 0 && imported.output.contains("2 messages labelled phish; 1 in mbox files left out"), "\(imported.combined)")
        let again = try Command.run(TestTools.gannetBinary, ["labels", "import", "--config", config, "--label", "phish", "\(directory)/reported/"])
        #expect(again.status == 0 && again.output.contains("0 messages labelled phish"), "\(again.combined)")
        let listed = try Command.run(TestTools.gannetBinary, ["labels", "list", "--json", "--config", config]).output.split(separator: "\n")
        let records = try listed.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(records.map { $0["file"] as? String } == ["\(directory)/reported/cur/1.eml", "\(directory)/reported/cur/2.eml"], "\(listed)")
        #expect(records.allSatisfy { $0["source"] as? String == "import" && $0["label"] as? String == "phish" && ($0["who"] as? String)?.isEmpty == false })
        let wrong = try Command.run(TestTools.gannetBinary, ["labels", "import", "--config", config, "--label", "bulk", "\(directory)/reported"])
        #expect(wrong.status != 0)
    }

    /// Workers change how fast, never what: the same bytes in the same order for any --jobs.
    @Test func offlineCommandsGiveTheSameOutputOnAnyNumberOfWorkers() throws {
        let directory = try TestTools.temporaryDirectory("jobs")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/nested", withIntermediateDirectories: true)
        for number in 0..<40 {
            let body = number % 3 == 0 ? "Verify your account at http://paypa1-secure.com/login now.\n" : String(repeating: "Minutes of meeting \(number).\n", count: number * 40)
            let message = "From: Sender \(number) <s\(number)@example\(number % 5).org>\nTo: a@gannet.test\nSubject: note \(number)\n\n\(body)"
            try message.write(toFile: "\(directory)/\(number % 2 == 0 ? "nested/" : "")m\(number).eml", atomically: true, encoding: .utf8)
        }
        for command in [["score", "--json"], ["score"], ["explain"], ["features"]] {
            let paths = command[0] == "score" ? [directory] : (0..<12).map { "\(directory)/\($0 % 2 == 0 ? "nested/" : "")m\($0).eml" }
            let one = try Command.run(TestTools.gannetBinary, command + ["--jobs", "1"] + paths)
            let four = try Command.run(TestTools.gannetBinary, command + ["--jobs", "4"] + paths)
            #expect(one.status == 0, "\(one.combined)")
            #expect(one.output.split(separator: "\n").count >= 12)
            #expect(one.output == four.output, "\(command[0]) differs between 1 and 4 workers")
        }
        for jobs in ["1", "4"] {
            let made = try Command.run(TestTools.gannetBinary, ["dataset", "--jobs", jobs, "--directory", "ham=\(directory)", "--out", "\(directory)/table-\(jobs).csv"])
            #expect(made.status == 0, "\(made.combined)")
        }
        let table = try String(contentsOfFile: "\(directory)/table-1.csv", encoding: .utf8)
        #expect(table.split(separator: "\n").count == 41)
        #expect(table == (try String(contentsOfFile: "\(directory)/table-4.csv", encoding: .utf8)))
    }

    @Test func featuresNamesEveryFeatureOfAMessage() throws {
        let directory = try TestTools.temporaryDirectory("features")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let message = "From: \"PayPal\" <service@paypa1-secure.com>\nTo: a@gannet.test\nSubject: Verify your account\n" +
            "Content-Type: text/html\n\n<a href=\"http://paypa1-secure.com/login\">https://www.paypal.com</a>\n"
        try message.write(toFile: "\(directory)/phish.eml", atomically: true, encoding: .utf8)
        let result = try Command.run(TestTools.gannetBinary, ["features", "\(directory)/phish.eml"])
        #expect(result.status == 0, "\(result.combined)")
        let values = Dictionary(uniqueKeysWithValues: result.output.split(separator: "\n").compactMap { line -> (String, String)? in
            let words = line.split(separator: " ")
            return words.count >= 2 && line.hasPrefix("  ") && !line.hasPrefix("  part") ? (String(words[0]), String(words[1])) : nil
        })
        #expect(values["display_name_brand"] == "1")
        #expect(values["url_anchor_mismatch"] == "1")
        #expect(values["phrase_credentials"] == "1")
        #expect(result.output.contains("part 0: text/html"))

        let schema = try Command.run(TestTools.gannetBinary, ["features", "--schema"])
        #expect(schema.status == 0)
        #expect(schema.output.split(separator: "\n").count > 90)
        #expect(schema.output.contains("archive_with_executable") && schema.output.contains("full"))
    }

    @Test func deployGatesInstallsAndRollsBack() throws {
        let directory = try TestTools.temporaryDirectory("deploy")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var manifest = "path\tlabel\tsource\tsplit\n"
        for index in 0..<10 {
            try "From: colleague\(index)@example.org\nSubject: lunch\n\nNoon?\n".write(toFile: "\(directory)/ham\(index).eml", atomically: true, encoding: .utf8)
            try "From: it@example.net\nSubject: verify\n\nhttp://198.51.100.\(index)/login\n".write(toFile: "\(directory)/phish\(index).eml", atomically: true, encoding: .utf8)
            manifest += "ham\(index).eml\tham\ttest\ttest\nphish\(index).eml\tphish\ttest\ttest\n"
        }
        try manifest.write(toFile: "\(directory)/manifest.tsv", atomically: true, encoding: .utf8)
        let schema = try Command.run(TestTools.gannetBinary, ["features", "--schema"]).output.split(separator: " ")[1].dropLast()
        func model(_ id: String, ipWeight: Double) -> String {
            """
            {"format": "gannet-model", "format_version": 1, "id": "\(id)", "created": "2026-11-25T00:00:00Z", "feature_schema": "\(schema)",
             "training_data": "t", "thresholds": {"quarantine": 0.9, "accept": 0.3},
             "inline": {"kind": "linear", "bias": -3, "weights": {"url_ip_host": \(ipWeight)}}}
            """
        }
        try model("good", ipWeight: 6).write(toFile: "\(directory)/good.json", atomically: true, encoding: .utf8)
        try model("good-2", ipWeight: 7).write(toFile: "\(directory)/good2.json", atomically: true, encoding: .utf8)
        try model("blind", ipWeight: 0).write(toFile: "\(directory)/blind.json", atomically: true, encoding: .utf8)
        let config = "\(directory)/gannet.toml"
        try """
            [milter]
            socket_group = ""
            [detection]
            model = "\(directory)/model.json"
            [deploy]
            manifest = "\(directory)/manifest.tsv"
            [retrain]
            manifests = ["\(directory)/manifest.tsv"]
            feedback = ["\(directory)/feedback"]
            split = "test"
            [daemon]
            state_dir = "\(directory)/state"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        func deploy(_ arguments: [String]) throws -> Command.Result {
            try Command.run(TestTools.gannetBinary, ["deploy", "--config", config] + arguments)
        }
        let first = try deploy(["--candidate", "\(directory)/good.json"])
        #expect(first.status == 0, "\(first.combined)")
        #expect(first.output.contains("recall 1.0, false-positive rate 0.0"))
        let refused = try deploy(["--candidate", "\(directory)/blind.json"])
        #expect(refused.status != 0)
        #expect(refused.combined.contains("candidate refused: recall would drop from 1.0 to 0.0"), "\(refused.combined)")
        #expect(try String(contentsOfFile: "\(directory)/model.json", encoding: .utf8).contains("\"id\": \"good\""))
        #expect(try deploy(["--candidate", "\(directory)/good2.json"]).status == 0)
        #expect(try String(contentsOfFile: "\(directory)/model.json", encoding: .utf8).contains("\"id\": \"good-2\""))
        #expect(try deploy(["--rollback"]).status == 0)
        #expect(try String(contentsOfFile: "\(directory)/model.json", encoding: .utf8).contains("\"id\": \"good\""))

        // The counterfactual: the blind model would let every attack through.
        let replay = try Command.run(TestTools.gannetBinary, ["replay", "--config", config, "--baseline", "\(directory)/good.json",
                                                                "--candidate", "\(directory)/blind.json", "--manifest", "\(directory)/manifest.tsv"])
        #expect(replay.status == 0, "\(replay.combined)")
        #expect(replay.output.contains("20 messages, 10 change decision"))
        #expect(replay.output.contains("quarantine → accept: 10"))
        #expect(!replay.output.contains("ham ("))

        // Unattended: train on the corpus and the labels, evaluate, pass the gate, install. A
        // message someone filed in the feedback folder becomes a label in the ledger first.
        try FileManager.default.createDirectory(atPath: "\(directory)/feedback/ham", withIntermediateDirectories: true)
        try "From: partner@example.org\nSubject: order\n\nThe order ships Friday.\n".write(toFile: "\(directory)/feedback/ham/1.eml", atomically: true, encoding: .utf8)
        let retrained = try Command.run(TestTools.gannetBinary, ["retrain", "--config", config])
        #expect(retrained.status == 0, "\(retrained.combined)")
        #expect(retrained.output.contains("labels: 1 in use (ham 1, spam 0, phish 0); since the last model +1 (ham 1), −0 revoked or gone; 1 new from feedback folders"), "\(retrained.output)")
        #expect(try String(contentsOfFile: "\(directory)/model.json", encoding: .utf8).contains("\"id\":\"gannet-"))
        #expect(FileManager.default.fileExists(atPath: "\(directory)/model.json.previous"))

        // A label taken back is left out of the next model, and the ledger keeps both records.
        let listed = try Command.run(TestTools.gannetBinary, ["labels", "list", "--json", "--config", config])
        let label = try #require(listed.output.split(separator: "\n").first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(label["source"] as? String == "feedback-folder" && label["label"] as? String == "ham", "\(label)")
        let id = try #require(label["id"] as? String)
        #expect(try Command.run(TestTools.gannetBinary, ["labels", "revoke", "--reason", "a test", "--config", config, id]).status == 0)
        let again = try Command.run(TestTools.gannetBinary, ["retrain", "--config", config])
        #expect(again.output.contains("labels: 0 in use (ham 0, spam 0, phish 0); since the last model +0, −1 revoked or gone"), "\(again.combined)")
        #expect(try Command.run(TestTools.gannetBinary, ["labels", "list", "--all", "--config", config]).output.contains("2 records"))
    }
}
