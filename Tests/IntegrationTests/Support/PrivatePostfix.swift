import Foundation

/// A private Postfix instance on 127.0.0.1 (packaging/postfix-private.sh), wired to a milter.
final class PrivatePostfix {
    let directory: String
    let port: Int
    var configDirectory: String { "\(directory)/etc" }
    var inbox: String { "\(directory)/mail/inbox/new" }

    /// `port`: chosen beforehand when the daemon must know it (a canary's MTA).
    init(directory: String, milterSocket: String?, defaultAction: String = "tempfail", port: Int = TestTools.freePort()) throws {
        self.directory = directory
        self.port = port
        var arguments = ["start", directory, "--port", "\(port)"]
        if let milterSocket { arguments += ["--milter", "unix:\(milterSocket)", "--milter-default-action", defaultAction] }
        let result = try Command.run(TestTools.script("postfix-private.sh"), arguments)
        guard result.status == 0 else { throw PostfixError.startFailed(result.combined) }
    }

    enum PostfixError: Error { case startFailed(String) }

    func stop() {
        _ = try? Command.run(TestTools.script("postfix-private.sh"), ["stop", directory])
    }

    /// Sends one message with swaks; returns swaks's result (status 0 means 250 at end of DATA).
    /// `fromHeader` replaces the From header swaks writes from the envelope sender.
    func send(from sender: String, to recipient: String = "user@gannet.test", subject: String = "test", headers: [String] = [], fromHeader: String? = nil,
              body: String = "Hello from the Gannet tests.") throws -> Command.Result {
        var arguments = ["--server", "127.0.0.1:\(port)", "--from", sender, "--to", recipient,
                         "--header", "Subject: \(subject)", "--body", body, "--timeout", "30"]
        if let fromHeader { arguments += ["--header", "From: \(fromHeader)"] }
        for header in headers { arguments += ["--add-header", header] }
        return try Command.run("swaks", arguments)
    }

    /// Delivered messages, as text.
    func deliveredMessages() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? []
        return names.sorted().compactMap { try? String(contentsOfFile: "\(inbox)/\($0)", encoding: .utf8) }
    }

    struct QueuedMessage {
        let queueID: String
        let queueName: String
        let sender: String
    }

    /// `postqueue -j`: one JSON object per queued message.
    func queue() throws -> [QueuedMessage] {
        let result = try Command.run("postqueue", ["-c", configDirectory, "-j"])
        return result.output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return QueuedMessage(queueID: object["queue_id"] as? String ?? "", queueName: object["queue_name"] as? String ?? "", sender: object["sender"] as? String ?? "")
        }
    }

    func releaseFromHold(_ queueID: String) throws -> Command.Result {
        try Command.run("postsuper", ["-c", configDirectory, "-H", queueID])
    }

    func flush() {
        _ = try? Command.run("postqueue", ["-c", configDirectory, "-f"])
    }

    var maillog: String { (try? String(contentsOfFile: "\(directory)/maillog", encoding: .utf8)) ?? "" }
}

extension PrivatePostfix {
    /// Starts smtp-source on a thread of its own; its result arrives in the returned box.
    func startLoad(messages: Int, sessions: Int, messageBytes: Int) -> LockedResult {
        let load = LockedResult()
        let arguments = ["-c", "-s", "\(sessions)", "-m", "\(messages)", "-l", "\(messageBytes)",
                         "-f", "load@example.org", "-t", "user@gannet.test", "127.0.0.1:\(port)"]
        Thread { load.set(try? Command.run("smtp-source", arguments)) }.start()
        return load
    }
}

/// A command result handed over from the load thread.
final class LockedResult: @unchecked Sendable {
    // Guarded by `lock`.
    private var result: Command.Result?
    private var done = false
    private let lock = NSLock()

    func set(_ value: Command.Result?) { lock.withLock { result = value; done = true } }
    var isSet: Bool { lock.withLock { done } }
    var value: Command.Result? { lock.withLock { result } }
}
