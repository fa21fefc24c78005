import Detection
import Features

extension RawMessage {
    /// The full pass over a stored message, with the envelope the milter saw: every byte,
    /// every attachment and archive member, for the full model. `gannet score`, `explain`,
    /// evaluation and asynchronous scoring of deferred messages all use it. With `baselines`,
    /// the behaviour features are its answer for the message's parties (From as this pass
    /// parsed it) at `at`.
    public func fullFeatures(evidence: MessageEvidence, snapshot: FilterSnapshot, baselines: (any BaselineLookup)? = nil, at: Int64 = 0) -> FeatureVector {
        let envelope = MessageEnvelope(sender: evidence.envelopeSender?.description ?? "", recipients: evidence.recipients.map(\.description))
        let (vector, extractor) = extract(settings: snapshot.features, pass: .full, envelope: envelope, skipping: snapshot.policy.verdictHeaderName)
        var features = vector
        baselines?.signals(for: BaselineQuery(evidence: evidence, from: extractor.from, at: at)).write(into: &features)
        return features
    }

    /// The full verdict, with a zero-weight reason for each signal it was made without.
    public func fullVerdict(evidence: MessageEvidence, snapshot: FilterSnapshot, baselines: (any BaselineLookup)? = nil, at: Int64 = 0) -> Verdict {
        let features = fullFeatures(evidence: evidence, snapshot: snapshot, baselines: baselines, at: at)
        return snapshot.engine.verdict(for: evidence, features: features, pass: .full).noting(SkippedSignal.skipped(in: features))
    }
}
