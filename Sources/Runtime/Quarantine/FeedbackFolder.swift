import Detection
import Foundation

/// A folder of reviewed mail in the layout `gannet retrain` reads (`[retrain] feedback`):
/// `ham/`, `spam/` and `phish/` subfolders of .eml files.
public struct FeedbackFolder: Sendable {
    public enum Label: String, Sendable, CaseIterable {
        case ham, spam, phish
    }

    public let path: String

    /// The path is standardised, so that a file is named alike however the folder was
    /// written (`/x/feedback/` or `/x/feedback`) and the label ledger records it once.
    public init(path: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The label a confirmed (deleted) message gets from the category Gannet gave it; nil
    /// when the category says nothing about content (a list decision) or is unknown.
    public static func label(confirming category: String?) -> Label? {
        switch category.flatMap(ThreatCategory.init(rawValue:)) {
        case .phishing, .bec, .malware: .phish
        case .spam, .scam, .bulk: .spam
        case .clean, .policy, nil: nil
        }
    }

    /// Writes the message under its label (DurableFile: whole or not at all) and returns the path.
    /// The name carries the queue id and the time, so a reused queue id never overwrites.
    public func file(_ message: [UInt8], queueID: String, label: Label, at date: Date = Date()) throws -> String {
        let directory = "\(path)/\(label.rawValue)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = "\(queueID)-\(Int(date.timeIntervalSince1970)).eml"
        try DurableFile.write(message, to: "\(directory)/\(name)")
        return "\(directory)/\(name)"
    }
}
