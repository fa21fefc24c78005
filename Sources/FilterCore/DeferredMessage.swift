import Detection
import Features

/// A message the inline pass deferred, as it goes to the spool.
public struct DeferredMessage: Sendable {
    /// Header fields and body as received; nil when none were kept (see `uncaptured`).
    public let bytes: [UInt8]?
    /// Why no bytes were kept: `TOO_LARGE_TO_SPOOL` (over the spool limit) or `CAPTURE_BUDGET`
    /// (the budget of all sessions was spent, `milter.on_capture_budget = "inline_only"`).
    public let uncaptured: String?
    /// The inline verdict's name, which the full verdict keeps.
    public let verdictID: String?
    /// Held or delivered while it is scored.
    public let action: DeferAction
    /// The inline verdict, with decision `defer` and the reason it was deferred first.
    public let inline: Verdict
    /// Who writes to whom, for the baselines lesson of the full verdict; nil when baselines
    /// are off or the message may not teach.
    public let parties: BaselineQuery?

    public init(bytes: [UInt8]?, action: DeferAction, inline: Verdict, parties: BaselineQuery? = nil, uncaptured: String? = nil, verdictID: String? = nil) {
        self.verdictID = verdictID
        self.bytes = bytes
        self.uncaptured = bytes == nil ? uncaptured ?? "TOO_LARGE_TO_SPOOL" : nil
        self.action = action
        self.inline = inline
        self.parties = parties
    }
}
