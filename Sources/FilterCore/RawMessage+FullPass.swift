import Detection
import Features

extension RawMessage {
    /// The full pass over a stored message: every byte, every attachment and archive member,
    /// the full model. `gannet score` and asynchronous scoring of deferred messages both use it.
    public func fullFeatures(snapshot: FilterSnapshot, envelope: MessageEnvelope = MessageEnvelope()) -> FeatureVector {
        extract(settings: snapshot.features, pass: .full, envelope: envelope, skipping: snapshot.policy.verdictHeaderName).vector
    }

    public func fullVerdict(evidence: MessageEvidence, snapshot: FilterSnapshot) -> Verdict {
        let envelope = MessageEnvelope(sender: evidence.envelopeSender?.description ?? "", recipients: evidence.recipients.map(\.description))
        return snapshot.engine.verdict(for: evidence, features: fullFeatures(snapshot: snapshot, envelope: envelope), pass: .full)
    }
}
