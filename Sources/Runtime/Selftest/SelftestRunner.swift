import Detection
import Foundation
import Logging

/// Sends a canary for each decision through the MTA, at start and every interval, and
/// reports what became of each (`gannet_selftest_total`, and the log) once every step was
/// seen or the deadline passed. Runs on a thread of its own.
public final class SelftestRunner: Sendable {
    public let settings: SelftestSettings
    public let book: CanaryBook
    private let metrics: GannetMetrics
    private let logger: Logger
    private let host: String

    public init(settings: SelftestSettings, book: CanaryBook, metrics: GannetMetrics, logger: Logger) {
        self.settings = settings
        self.book = book
        self.metrics = metrics
        self.logger = logger
        self.host = Self.hostName()
    }

    public func start() {
        let thread = Thread { [self] in
            while true {
                runRound()
                guard let interval = settings.interval else { return }
                Thread.sleep(forTimeInterval: Double(interval.components.seconds))
            }
        }
        thread.name = "gannet-selftest"
        thread.start()
    }

    /// One canary for each decision, sent one after another, then awaited together.
    func runRound() {
        let deadline = ContinuousClock.now + settings.deadline
        var sent: [(token: String, asked: Decision, queueID: String?)] = []
        for decision in Decision.allCases {
            let token = book.issue(decision)
            do throws(SMTPError) {
                let reply = try send(token, asking: decision, until: deadline)
                sent.append((token, decision, SMTPClient.queueID(inReply: reply)))
            } catch {
                book.forget(token)
                report(decision, .unsent, detail: "\(error)", queueID: nil, verdictID: nil)
            }
        }
        while !sent.isEmpty {
            let pastDeadline = ContinuousClock.now >= deadline
            sent.removeAll { canary in
                guard let progress = book.progress(canary.token), let (result, detail) = progress.result(pastDeadline: pastDeadline) else { return false }
                book.forget(canary.token)
                report(canary.asked, result, detail: detail, queueID: progress.queueID ?? canary.queueID, verdictID: progress.verdictID)
                return true
            }
            if !sent.isEmpty { Thread.sleep(forTimeInterval: 0.5) }
        }
    }

    /// Hands one canary to the MTA, trying again while nothing listens or the MTA answers
    /// with a temporary failure (either may still be starting) until the round's deadline.
    private func send(_ token: String, asking decision: Decision, until deadline: ContinuousClock.Instant) throws(SMTPError) -> String {
        let client = SMTPClient(endpoint: settings.mta, stepTimeout: .seconds(30))
        let message = CanaryMessage.bytes(asking: decision, token: token, from: settings.from, to: settings.to, host: host, at: Date())
        while true {
            do throws(SMTPError) {
                return try client.send(helo: host, from: settings.from, to: settings.to, message: message)
            } catch {
                guard error.isTemporary, ContinuousClock.now + .seconds(1) < deadline else { throw error }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// This machine's name, for HELO and the canary's Message-ID; never a DNS lookup.
    private static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "localhost" : text
    }

    private func report(_ canary: Decision, _ result: SelftestResult, detail: String, queueID: String?, verdictID: String?) {
        metrics.selftest(canary, result)
        let metadata: Logger.Metadata = [
            "canary": "\(canary.rawValue)", "result": "\(result.rawValue)", "detail": "\(detail)",
            "queue_id": "\(queueID ?? "-")", "verdict_id": "\(verdictID ?? "-")", "mta": "\(settings.mta)",
        ]
        if result == .confirmed {
            logger.info("selftest canary confirmed", metadata: metadata)
        } else {
            logger.error("selftest canary not confirmed", metadata: metadata)
        }
    }
}
