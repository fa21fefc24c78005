/// Why a message is in the hold queue, as `gannet quarantine list` tells it. A message is
/// unsettled when Gannet holds it with no verdict it will act on: nothing releases it until a
/// person does, so these are what an operator must not miss.
public struct HoldReason: Sendable, Equatable {
    public let text: String
    public let unsettled: Bool

    init(_ text: String, unsettled: Bool = false) {
        self.text = text
        self.unsettled = unsettled
    }

    init(record: VerdictRecord?, headerDecision: String?, loggedDecision: String?) {
        guard let record else {
            switch headerDecision ?? loggedDecision {
            case "quarantine": self.init("quarantined inline")
            case "defer": self.init("deferred; no full verdict on record yet")
            case nil: self.init("no Gannet verdict: held by something else")
            case let other?: self.init("held, though Gannet's verdict was \(other)")
            }
            return
        }
        let detail = record.detail.map { ": \($0)" } ?? ""
        switch record.outcome {
        case .malicious: self.init("full verdict malicious")
        case .clean where record.detail == DeferredJobProcessor.releaseNotHeld: self.init("full verdict clean, but its release found nothing held", unsettled: true)
        case .clean: self.init("full verdict clean; release pending")
        case .timeout: self.init("full scoring over its time limit", unsettled: true)
        case .failed: self.init("full scoring failed\(detail)", unsettled: true)
        case .unscored: self.init("never scored\(detail)", unsettled: true)
        }
    }
}
