import Detection
import Features

extension RawMessage {
    /// The full pass over a stored message: every byte, every attachment and archive member,
    /// the full model. `gannet score` and asynchronous scoring of deferred messages both use it.
    public func fullFeatures(snapshot: FilterSnapshot, envelope: MessageEnvelope = MessageEnvelope()) -> FeatureVector {
        extract(settings: snapshot.features, pass: .full, envelope: envelope, skipping: snapshot.policy.verdictHeaderName).vector
    }

    /// The full vector with the envelope the milter saw.
    public func fullFeatures(evidence: MessageEvidence, snapshot: FilterSnapshot) -> FeatureVector {
        fullFeatures(snapshot: snapshot, envelope: MessageEnvelope(sender: evidence.envelopeSender?.description ?? "", recipients: evidence.recipients.map(\.description)))
    }

    /// The full verdict; `behaviour` (a baselines store's answer) fills the behaviour features.
    public func fullVerdict(evidence: MessageEvidence, snapshot: FilterSnapshot, behaviour: BaselineSignals? = nil) -> Verdict {
        var features = fullFeatures(evidence: evidence, snapshot: snapshot)
        behaviour?.write(into: &features)
        return snapshot.engine.verdict(for: evidence, features: features, pass: .full)
    }
}
