import ArgumentParser
import Foundation
import Runtime
import Training

/// `--hold-budget` and `--site-volume`, over `[deploy] hold_budget` and `site_volume`.
struct HoldBudgetOptions: ParsableArguments {
    @Option(name: .long, help: "At most this many legitimate messages held, e.g. 5/week or 1/day: calibrates the quarantine threshold to it (overrides deploy.hold_budget).")
    var holdBudget: String?

    @Option(name: .long, help: "Legitimate messages the site receives, e.g. 20000/week (overrides deploy.site_volume; default: the accepted messages in daemon.decision_log).")
    var siteVolume: String?

    func validate() throws {
        for (name, value) in [("--hold-budget", holdBudget), ("--site-volume", siteVolume)] {
            if let value, (HoldBudget.perWeek(value) ?? 0) <= 0 { throw ValidationError("\(name) '\(value)' is not a count a week or a day, like 5/week or 3000/day") }
        }
    }

    /// The budget asked for, with the site's volume; nil when none is.
    func budget(_ config: GannetConfig) throws -> HoldBudget? {
        guard let held = holdBudget.flatMap(HoldBudget.perWeek) ?? config.deploy.holdBudgetPerWeek else { return nil }
        if let volume = siteVolume.flatMap(HoldBudget.perWeek) ?? config.deploy.siteVolumePerWeek {
            return HoldBudget(heldPerWeek: held, legitimatePerWeek: volume)
        }
        guard !config.daemon.decisionLog.isEmpty else { throw ValidationError("a hold budget needs the site's volume: give --site-volume or deploy.site_volume, or keep daemon.decision_log") }
        let decisions = try DecisionRecord.read(log: config.daemon.decisionLog).map { (at: $0.at, accepted: $0.decision == .accept) }
        guard let volume = HoldBudget.legitimatePerWeek(decisions: decisions) else {
            throw ValidationError("\(config.daemon.decisionLog) covers less than a day: give --site-volume")
        }
        return HoldBudget(heldPerWeek: held, legitimatePerWeek: volume)
    }

    /// What the budget costs, from the training report's out-of-fold scores.
    static func summary(_ budget: HoldBudget, _ report: ModelTrainer.Report, defaultRate: Double) -> String {
        let recall = report.outOfFoldRecall(atFalsePositiveRate: budget.falsePositiveRate)
        let usual = report.outOfFoldRecall(atFalsePositiveRate: defaultRate)
        return String(format: "  hold budget: %g legitimate a week of %.0f → at most %.4f%% of ham held; out of fold %.1f held a week, recall %.4f (at %.2f%%: %.4f, a cost of %.2f points)",
                      budget.heldPerWeek, budget.legitimatePerWeek, budget.falsePositiveRate * 100, budget.held(atFalsePositiveRate: report.outOfFoldFalsePositiveRate),
                      recall, defaultRate * 100, usual, (usual - recall) * 100)
    }
}
