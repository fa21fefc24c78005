import Foundation
import Runtime

/// The label ids the model in service was trained with (`<work>/trained-labels`, one a line),
/// so that the next retraining says what changed.
struct TrainedLabels {
    let path: String

    func changes(now labels: [LabelRecord], newFromFolders: Int) -> String {
        let before = Set(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
        let current = Set(labels.map(\.id))
        let byLabel = Dictionary(grouping: labels, by: { $0.label ?? "-" }).mapValues(\.count)
        let counts = ["ham", "spam", "phish"].map { "\($0) \(byLabel[$0] ?? 0)" }.joined(separator: ", ")
        let added = labels.filter { !before.contains($0.id) }
        let addedCounts = Dictionary(grouping: added, by: { $0.label ?? "-" }).mapValues(\.count).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return "labels: \(labels.count) in use (\(counts)); since the last model +\(added.count)"
            + (addedCounts.isEmpty ? "" : " (\(addedCounts.joined(separator: ", ")))")
            + ", −\(before.subtracting(current).count) revoked or gone"
            + (newFromFolders > 0 ? "; \(newFromFolders) new from feedback folders recorded in the ledger" : "")
    }

    func remember(_ labels: [LabelRecord]) throws {
        try (labels.map(\.id).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
