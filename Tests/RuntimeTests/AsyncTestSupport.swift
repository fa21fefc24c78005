import Baselines
import Detection
import Features
import FilterCore
import Foundation
import Logging
import Runtime
import Synchronization

/// Records release and hook calls; releases answer from a script of results.
final class RecordingHoldQueue: HoldQueueActions {
    let releases = Mutex<[String]>([])
    let hooked = Mutex<[String]>([])
    /// Results handed out in order; `.released` once they run out.
    let scriptedReleases: Mutex<[ReleaseResult]>
    let hookResult: CommandOutcome?

    init(releases scripted: [ReleaseResult] = [], hookResult: CommandOutcome? = .succeeded) {
        scriptedReleases = Mutex(scripted)
        self.hookResult = hookResult
    }

    func release(queueID: String) -> ReleaseResult {
        releases.withLock { $0.append(queueID) }
        return scriptedReleases.withLock { $0.isEmpty ? .released : $0.removeFirst() }
    }

    func remediate(verdictJSON: [UInt8]) -> CommandOutcome? {
        hooked.withLock { $0.append(String(decoding: verdictJSON, as: UTF8.self)) }
        return hookResult
    }
}

/// A spool, verdict log and processor in a fresh directory, with a blocked sender.
struct AsyncFixture {
    let directory: String
    let spool: Spool
    let verdictLog: VerdictLog
    let holdQueue: RecordingHoldQueue
    let metrics = GannetMetrics()
    let store: SnapshotStore
    var processor: DeferredJobProcessor

    static let snapshot = FilterSnapshot(policy: FilterPolicy(), engine: DetectionEngine(lists: SenderLists(blockedAddresses: ["bad@evil.example"])))

    init(holdQueue: RecordingHoldQueue = RecordingHoldQueue(), baselines: (any BaselineStore)? = nil) throws {
        directory = NSTemporaryDirectory() + "gannet-async-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        spool = try Spool(directory: directory + "/spool")
        verdictLog = try VerdictLog(path: directory + "/verdicts.jsonl")
        self.holdQueue = holdQueue
        store = SnapshotStore(Self.snapshot)
        processor = DeferredJobProcessor(spool: spool, verdictLog: verdictLog, actions: holdQueue, store: store, metrics: metrics, logger: Logger(label: "test"), baselines: baselines)
        processor.releaseRetryDelays = [.milliseconds(1), .milliseconds(1)]
        processor.failureRetryDelays = [.milliseconds(3), .milliseconds(5)]
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// The verdict log, one decoded record per line.
    var loggedVerdicts: [VerdictRecord] {
        verdictLog.flush()
        let text = (try? String(contentsOfFile: directory + "/verdicts.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(VerdictRecord.self, from: Data($0.utf8)) }
    }

    static let message = Array("From: someone <someone@example.org>\r\nTo: user@gannet.test\r\nSubject: hello\r\n\r\nA long enough body.\r\n".utf8)

    /// Spools a job as the milter would.
    func spoolJob(queueID: String, sender: String, action: DeferAction = .hold, at time: Double = 1_700_000_000, message: [UInt8] = Self.message,
                  parties: BaselineQuery? = nil) throws -> SpoolJob {
        let inline = VerdictSummary(Verdict(score: 0.5, logOdds: 0, decision: .defer, category: .spam, reasons: [Reason(name: "INLINE_DEFERRED", weight: 0)], modelID: "none"))
        let job = SpoolJob(id: "\(Int(time * 1e9))-\(queueID)", queueID: queueID, action: action, sender: sender, recipients: ["user@gannet.test"], inline: inline, spooledAt: time, parties: parties)
        try spool.write(job, message: message)
        return job
    }
}
