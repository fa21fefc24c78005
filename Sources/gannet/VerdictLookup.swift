import ArgumentParser
import Detection
import Foundation
import Runtime

/// `gannet explain --id`: one verdict the daemon gave, found by its id in the decision log
/// (every message, when `daemon.decision_log` is kept) and the verdict log (the full verdict
/// of a deferred message).
struct VerdictLookup {
    let config: GannetConfig

    func explain(_ id: String) throws {
        let decision = try config.daemon.decisionLog.isEmpty ? nil : DecisionRecord.read(log: config.daemon.decisionLog).last { $0.verdictID == id }
        let full = try VerdictLogReader(path: VerdictLogReader.path(for: config)).read().records.last { $0.verdictID == id }
        guard decision != nil || full != nil else {
            let searched = config.daemon.decisionLog.isEmpty ? "the verdict log (deferred messages only; daemon.decision_log is off)" : "the decision log or the verdict log"
            throw ValidationError("no verdict \(id) in \(searched)")
        }
        print("verdict \(id)")
        if let decision {
            print("  queue id:  \(decision.queueID)")
            print("  at:        \(Self.time(decision.at))")
            print("  envelope:  \(decision.sender.isEmpty ? "<>" : decision.sender) → \(decision.recipients.joined(separator: ", ")) (\(decision.sizeBytes) bytes)")
            print("  decision:  \(decision.decision.rawValue) (inline \(decision.inlineDecision.rawValue), \(decision.inlineMicroseconds) µs)")
            print("  verdict:   score=\(Verdict.formatScore(decision.score)) category=\(decision.category.rawValue) model=\(decision.model) rules=\(decision.rules ?? "-")")
            if let baselines = decision.baselines {
                print("  baselines: " + (baselines.isEmpty ? "consulted, nothing known" : baselines.sorted { $0.key < $1.key }.map { "\($0.key)=\(FeaturesCommand.format($0.value))" }.joined(separator: " ")))
            } else {
                print("  baselines: not consulted (off, or no store answered)")
            }
            Self.printReasons(decision.reasons)
        }
        if let full {
            if decision == nil {
                print("  queue id:  \(full.queueID)")
                print("  envelope:  \(full.sender.isEmpty ? "<>" : full.sender) → \(full.recipients.joined(separator: ", "))")
                print("  inline:    score=\(Verdict.formatScore(full.inline.score)) category=\(full.inline.category.rawValue) model=\(full.inline.model)")
                Self.printReasons(full.inline.reasons)
            }
            let summary = full.verdict.map { " score=\(Verdict.formatScore($0.score)) category=\($0.category.rawValue) model=\($0.model)" } ?? ""
            print("  full verdict: \(full.outcome.rawValue)\(summary), \(full.releases ? "released" : full.action == .hold ? "kept held" : "delivered") at \(Self.time(full.decidedAt))"
                  + (full.detail.map { " (\($0))" } ?? ""))
            if let verdict = full.verdict { Self.printReasons(verdict.reasons) }
        }
    }

    private static func printReasons(_ reasons: [Reason]) {
        print("  reasons:")
        for reason in reasons { print("    \(reason.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(ExplainCommand.signed(reason.weight))") }
    }

    private static func time(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
