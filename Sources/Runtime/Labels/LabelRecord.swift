import FilterCore
import Foundation

/// One line of the label ledger: a labelled message that may reach training, or the
/// revocation of an earlier label. Never rewritten: a revoked label stays on record.
public struct LabelRecord: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case label, revoke
    }

    /// Where a label came from.
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// `gannet quarantine release`: a false positive, ham.
        case quarantineRelease = "quarantine-release"
        /// `gannet quarantine delete`: Gannet was right.
        case quarantineDelete = "quarantine-delete"
        /// A file someone put in a `[retrain] feedback` folder.
        case feedbackFolder = "feedback-folder"
        /// `gannet labels import`.
        case `import`
    }

    /// `l-` and ten letters and digits (a `VerdictID`'s alphabet).
    public let id: String
    public let kind: Kind
    public let at: Double
    /// The user who gave it (`SUDO_USER`, else the login name), or the folder's owner.
    public let who: String
    public let source: Source?
    /// `ham`, `spam` or `phish`.
    public let label: String?
    /// The labelled message's file.
    public let file: String?
    public let verdictID: String?
    public let queueID: String?
    /// The label a revocation takes back, and why.
    public let revokes: String?
    public let reason: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, at, who, source, label, file, revokes, reason
        case verdictID = "verdict_id"
        case queueID = "queue_id"
    }

    public static func label(_ label: String, file: String, source: Source, who: String, verdictID: String? = nil, queueID: String? = nil,
                             at: Double = Date().timeIntervalSince1970) -> LabelRecord {
        LabelRecord(id: newID(), kind: .label, at: at, who: who, source: source, label: label, file: file, verdictID: verdictID, queueID: queueID, revokes: nil, reason: nil)
    }

    public static func revocation(of id: String, reason: String?, who: String, at: Double = Date().timeIntervalSince1970) -> LabelRecord {
        LabelRecord(id: newID(), kind: .revoke, at: at, who: who, source: nil, label: nil, file: nil, verdictID: nil, queueID: nil, revokes: id, reason: reason)
    }

    private static func newID() -> String {
        "l-" + VerdictID.randomLetters()
    }

    /// Who is running this command: the administrator behind sudo, else the login name.
    public static var currentUser: String {
        if let user = ProcessInfo.processInfo.environment["SUDO_USER"], !user.isEmpty { return user }
        return userName(getuid())
    }

    /// The login name of `uid`, or "uid N" when it has none.
    static func userName(_ uid: uid_t) -> String {
        getpwuid(uid).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "uid \(uid)"
    }
}
