import Detection
import Features

/// A signal a verdict was made without: its features still hold, but what was not looked at
/// did not count. Each becomes a zero-weight reason, so the header's log line, the decision
/// log and `gannet explain --id` say a verdict was incomplete and why.
public enum SkippedSignal: String, Sendable, CaseIterable {
    /// The inline pass stopped at its byte budget (such a message is deferred).
    case bodyCut = "SKIPPED_BODY_PAST_BYTE_BUDGET"
    /// The shared baselines store did not answer in budget; the local cache did.
    case baselinesStore = "SKIPPED_BASELINES_STORE"
    /// A parser limit (nesting, parts, header bytes) left part of the message unread.
    case pastParserLimit = "SKIPPED_PAST_PARSER_LIMIT"
    /// A part whose base64 or quoted-printable did not decode.
    case undecodedPart = "SKIPPED_UNDECODED_PART"

    public static func skipped(in features: FeatureVector) -> [SkippedSignal] {
        var skipped: [SkippedSignal] = []
        if features.wasCut { skipped.append(.bodyCut) }
        if features[.storeFallback] > 0 { skipped.append(.baselinesStore) }
        if features[.parserLimitsHit] > 0 { skipped.append(.pastParserLimit) }
        if features[.transferDecodeErrors] > 0 { skipped.append(.undecodedPart) }
        return skipped
    }
}

/// What an inline verdict that would accept gets when a signal was skipped
/// (`detection.on_incomplete`).
public enum IncompleteVerdictAction: String, Sendable, CaseIterable {
    /// Accept as decided: the skipped signals are recorded.
    case accept
    /// Defer it to the full pass (`INLINE_INCOMPLETE`), which reads every byte and asks the
    /// baselines again.
    case `defer`
}

extension Verdict {
    /// The verdict with a zero-weight reason for each signal it was made without.
    func noting(_ skipped: [SkippedSignal]) -> Verdict {
        guard !skipped.isEmpty else { return self }
        return Verdict(score: score, logOdds: logOdds, decision: decision, category: category,
                       reasons: reasons + skipped.map { Reason(name: $0.rawValue, weight: 0) }, modelID: modelID)
    }
}
