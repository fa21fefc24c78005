import Detection

/// What became of one canary, as `gannet_selftest_total{canary,result}` counts it.
public enum SelftestResult: String, Sendable, CaseIterable {
    /// Every step of its decision was seen carried out.
    case confirmed
    /// Gannet decided it, but its action was not seen carried out: a hold Postfix does not
    /// show, or a full verdict not carried out in time.
    case failed
    /// The MTA took it, but Gannet never decided it: mail does not pass through Gannet.
    case unseen
    /// The MTA could not be reached, or refused it.
    case unsent
}

/// What the milter, the hold verifier and the full pass saw of one canary.
struct CanaryProgress: Sendable, Equatable {
    let asked: Decision
    var claimed = false
    var queueID: String?
    var verdictID: String?
    /// The milter asked Postfix to hold it.
    var held = false
    /// The milter's reply and modifications went through.
    var carriedOut = false
    var hold: HoldVerifier.Result?
    /// Its full verdict was carried out; `releaseFoundNothing` when releasing it found
    /// nothing held.
    var fullVerdictCarriedOut = false
    var releaseFoundNothing = false

    init(asked: Decision) {
        self.asked = asked
    }

    /// Its result once known, with what it was short of: nil while steps are still to come
    /// and the deadline has not passed.
    func result(pastDeadline: Bool) -> (SelftestResult, detail: String)? {
        guard claimed else { return pastDeadline ? (.unseen, "the MTA took it, but Gannet never decided it: is Gannet among the MTA's milters?") : nil }
        guard carriedOut else { return (.failed, "the milter could not carry out its decision") }
        if held {
            switch hold {
            case .confirmed?: break
            case .missing?: return (.failed, "Postfix does not hold it")
            case .unverified?: return (.failed, "the hold queue could not be listed to confirm its hold")
            case nil: return pastDeadline ? (.failed, "its hold was not confirmed in time") : nil
            }
        }
        if asked == .defer {
            guard fullVerdictCarriedOut else { return pastDeadline ? (.failed, "its full verdict was not carried out in time") : nil }
            if releaseFoundNothing { return (.failed, "releasing it found nothing held") }
        }
        return (.confirmed, held ? "held and confirmed in the hold queue" : "accepted by Gannet and queued by the MTA")
    }
}
