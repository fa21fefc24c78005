import Features
import MailParsing

extension RawMessage {
    /// Runs a stored message through the extractor as the milter would feed it, leaving out
    /// headers named `skipping` (Gannet's own verdict header). Returns the finished extractor,
    /// so callers can read the parts as well as the vector.
    public func extract(settings: FeatureSettings, pass: FeatureExtractor.Pass, envelope: MessageEnvelope = MessageEnvelope(),
                        skipping header: String? = nil, limits: ParserLimits = ParserLimits()) -> (vector: FeatureVector, extractor: FeatureExtractor) {
        var extractor = FeatureExtractor(settings: settings, pass: pass, envelope: envelope, limits: limits)
        for field in headers where header.map({ !field.name.caseInsensitiveEquals($0) }) ?? true {
            extractor.header(name: field.name, value: field.value)
        }
        extractor.endOfHeaders()
        body.withUnsafeBytes { extractor.body($0) }
        let vector = extractor.finish()
        return (vector, extractor)
    }
}
