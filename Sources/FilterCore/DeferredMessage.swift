import Detection
import Features

/// A message the inline pass deferred, as it goes to the spool.
public struct DeferredMessage: Sendable {
    /// Header fields and body as received; nil when the message was longer than the spool limit.
    public let bytes: [UInt8]?
    /// Held or delivered while it is scored.
    public let action: DeferAction
    /// The inline verdict, with decision `defer` and the reason it was deferred first.
    public let inline: Verdict
    /// Who writes to whom, for the baselines lesson of the full verdict; nil when baselines
    /// are off or the message may not teach.
    public let parties: BaselineQuery?

    public init(bytes: [UInt8]?, action: DeferAction, inline: Verdict, parties: BaselineQuery? = nil) {
        self.bytes = bytes
        self.action = action
        self.inline = inline
        self.parties = parties
    }
}
