import Detection
import Features
import FilterCore

/// The full pass over a stored message: every byte, every attachment, the full model.
enum FullPass {
    static func features(_ message: RawMessage, snapshot: FilterSnapshot, envelope: MessageEnvelope = MessageEnvelope()) -> FeatureVector {
        message.extract(settings: snapshot.features, pass: .full, envelope: envelope, skipping: snapshot.policy.verdictHeaderName).vector
    }

    static func verdict(_ message: RawMessage, evidence: MessageEvidence, snapshot: FilterSnapshot) -> Verdict {
        let envelope = MessageEnvelope(sender: evidence.envelopeSender?.description ?? "", recipients: evidence.recipients.map(\.description))
        return snapshot.engine.verdict(for: evidence, features: features(message, snapshot: snapshot, envelope: envelope), pass: .full)
    }
}
