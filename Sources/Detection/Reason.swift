/// One named contribution to a verdict: the same `UPPER_SNAKE` name appears in the
/// header, the log line, `gannet score` output and evaluation reports.
public struct Reason: Sendable, Hashable, Codable {
    /// `UPPER_SNAKE` name, e.g. `BLOCKED_SENDER`.
    public let name: String
    /// Signed contribution to the score (positive pushes toward quarantine).
    public let weight: Double

    public init(name: String, weight: Double) {
        self.name = name
        self.weight = weight
    }
}
