import ArgumentParser
import Detection
import Features
import FilterCore
import Foundation
import MailParsing
import Runtime

/// `gannet quarantine release`: Gannet was wrong; deliver the message and file it as ham.
struct QuarantineRelease: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release held messages (postsuper -H) and file each as ham (a false positive) for retraining.")

    @OptionGroup var options: QuarantineOptions
    @OptionGroup var feedback: FeedbackOptions

    @Argument(help: "Postfix queue ids, or verdict ids (g-…) from the verdict header, a bounce or a log line.")
    var queueIDs: [String]

    func run() throws {
        try QuarantineReview(options: options, feedback: feedback).decide(queueIDs, action: .release) { _ in .ham }
    }
}

/// `gannet quarantine delete`: Gannet was right; delete the message and file it by category.
struct QuarantineDelete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete held messages (postsuper -d) and file each as phish or spam by its category for retraining.")

    @OptionGroup var options: QuarantineOptions
    @OptionGroup var feedback: FeedbackOptions

    @Option(help: "File as this label (phish or spam) whatever the category; needed for list decisions (category policy) to be filed at all.")
    var label: FeedbackFolder.Label?

    @Argument(help: "Postfix queue ids, or verdict ids (g-…) from the verdict header, a bounce or a log line.")
    var queueIDs: [String]

    func validate() throws {
        if label == .ham { throw ValidationError("a deleted message is not ham; release it instead") }
    }

    func run() throws {
        try QuarantineReview(options: options, feedback: feedback).decide(queueIDs, action: .delete) { label ?? FeedbackFolder.label(confirming: $0.category) }
    }
}

extension FeedbackFolder.Label: ExpressibleByArgument {}

/// Where reviewed messages are filed.
struct FeedbackOptions: ParsableArguments {
    @Option(help: "Feedback folder (ham/, spam/, phish/); default: the first [retrain] feedback folder, else <state_dir>/feedback.")
    var feedback: String?

    func folder(_ config: GannetConfig) -> FeedbackFolder {
        FeedbackFolder(path: feedback ?? config.retrain.feedback.first ?? config.daemon.stateDirectory + "/feedback")
    }
}

/// Carries out a review: for each id, read the message, act on it through postsuper, file the
/// labelled copy and append the decision to the review log. One failing id does not stop the others.
struct QuarantineReview {
    let options: QuarantineOptions
    let feedback: FeedbackOptions

    func decide(_ queueIDs: [String], action: ReviewDecision.Action, label: (QuarantinedMessage) -> FeedbackFolder.Label?) throws {
        let config = try options.config.load()
        let folder = feedback.folder(config)
        var failures = 0
        for argument in queueIDs {
            do {
                let queueID = try options.queueID(named: argument, config: config)
                // Read before acting: after a delete there is nothing left to file.
                let (message, bytes) = try options.heldMessage(queueID, config: config)
                switch action {
                case .release: try options.queue.release(queueID: queueID)
                case .delete: try options.queue.delete(queueID: queueID)
                }
                let chosen = label(message)
                let file = try chosen.map { try folder.file(bytes, queueID: queueID, label: $0) }
                if let file, let chosen {
                    try LabelLedger(path: LabelLedger.path(for: config)).append(.label(
                        chosen.rawValue, file: file, source: action == .release ? .quarantineRelease : .quarantineDelete,
                        who: LabelRecord.currentUser, verdictID: message.verdictID, queueID: queueID))
                }
                let taught = action == .release ? Self.teachClean(message, queueID: queueID, config: config) : false
                try ReviewDecision(queueID: queueID, action: action, category: message.category, label: chosen?.rawValue, feedbackFile: file)
                    .append(toLog: ReviewDecision.logPath(for: config))
                print("\(queueID): \(action == .release ? "released" : "deleted")" + (file.map { ", filed as \(chosen?.rawValue ?? "") in \($0)" } ?? ", not filed (category \(message.category ?? "unknown") says nothing about content; give --label)")
                      + (taught ? ", taught to the baselines as clean" : ""))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("\(argument): \(error)\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// A released message was a false positive: its sender's mail is clean, a lesson the
    /// daemon takes in from its inbox. False when baselines are off or the daemon has no
    /// inbox yet (it makes one at start).
    static func teachClean(_ message: QuarantinedMessage, queueID: String, config: GannetConfig) -> Bool {
        let inbox = LessonInbox(directory: LessonInbox.directory(for: config))
        guard config.baselines.store != .off, FileManager.default.fileExists(atPath: inbox.directory) else { return false }
        let from = AddressList.parse(message.from).first
        let evidence = MessageEvidence(envelopeSender: MailAddress(parsing: message.queued.sender),
                                       recipients: message.queued.recipients.compactMap { MailAddress(parsing: $0.address) },
                                       headerFrom: from.flatMap { MailAddress(parsing: $0.address) })
        let parties = BaselineQuery(evidence: evidence, from: from, at: Int64(Date().timeIntervalSince1970))
        do {
            try inbox.leave(BaselineObservation(message: parties, outcome: .clean), name: "release-\(queueID)")
            return true
        } catch {
            FileHandle.standardError.write(Data("\(queueID): released, but the baselines lesson could not be left: \(error)\n".utf8))
            return false
        }
    }
}
