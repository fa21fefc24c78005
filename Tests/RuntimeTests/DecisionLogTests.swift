import Detection
import Foundation
import Runtime
import Testing

/// The decision log writes every record handed to it, in order, off the caller's thread, and
/// drops rather than blocks when it cannot take more.
@Suite struct DecisionLogTests {
    static func record(_ index: Int, inline: Decision = .accept, micros: Int = 100) -> DecisionRecord {
        DecisionRecord(queueID: "Q\(index)", at: 1_000 + Double(index), decision: inline == .defer ? .quarantine : inline, inlineDecision: inline, score: 0.25,
                       category: inline == .accept ? .clean : .phishing, model: "m", reasons: [Reason(name: "URL_SHORTENER", weight: 1), Reason(name: "NOTE", weight: 0)],
                       sender: "s@example.org", recipients: ["r@gannet.test"], sizeBytes: 1_000, inlineMicroseconds: micros)
    }

    @Test func recordsFromManyThreadsAreAllWrittenWhole() throws {
        let path = NSTemporaryDirectory() + "gannet-decisions-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try DecisionLog(path: path)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<250 { #expect(log.append(Self.record(thread * 1_000 + index))) }
        }
        log.close()
        let records = try DecisionRecord.read(log: path)
        #expect(records.count == 2_000)
        #expect(Set(records.map(\.queueID)).count == 2_000)
        #expect(records.first { $0.queueID == "Q1007" } == Self.record(1_007))
        #expect(!log.append(Self.record(1)), "a closed log takes nothing")
    }

    @Test func aFullLogDropsInsteadOfWaiting() throws {
        let path = NSTemporaryDirectory() + "gannet-decisions-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try DecisionLog(path: path, capacity: 0)
        #expect(!log.append(Self.record(1)))
        log.close()
        #expect(try DecisionRecord.read(log: path).isEmpty)
    }

    @Test func theReportSummarisesEveryDecision() {
        let records = [Self.record(1, micros: 200), Self.record(2, micros: 400), Self.record(3, inline: .defer, micros: 5_000), Self.record(4, inline: .quarantine, micros: 300)]
        let report = VerdictReport(records: [], reviews: [], decisions: records, since: 1_002)
        let summary = report.decisions
        #expect(summary?.messages == 3)
        #expect(summary?.byInlineDecision == ["accept": 1, "defer": 1, "quarantine": 1])
        #expect(summary?.byDecision == ["accept": 1, "quarantine": 2])
        #expect(summary.map { abs($0.deferRate - 1.0 / 3) < 1e-9 } == true)
        #expect(summary?.inlineLatency?.p50 == 0.0004 && summary?.inlineLatency?.max == 0.005)
        #expect(summary?.topReasons.map(\.name) == ["URL_SHORTENER"])
        #expect(report.rendered().contains("defer rate 33.33%"))
        #expect(VerdictReport(records: [], reviews: [], since: 0).rendered().contains("No decision log is kept"))
    }
}
