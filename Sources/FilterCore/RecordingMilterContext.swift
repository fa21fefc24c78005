/// A milter context that records what the filter asked for instead of calling libmilter,
/// and enforces libmilter's rule that modifications happen only at end of message.
/// Used by `gannet score` replays and by tests.
public final class RecordingMilterContext: MilterContext {
    public var macros: [String: String]
    /// Set by the replay driver while the end-of-message callback runs.
    public var isAtEndOfMessage = false
    public private(set) var modifications: [MessageModification] = []
    /// When set, this modification fails as a real libmilter call can.
    public var failingModification: ((MessageModification) -> Bool)?

    public init(macros: [String: String] = [:]) {
        self.macros = macros
    }

    public func macro(_ name: String) -> String? { macros[name] }

    public func apply(_ modification: MessageModification) throws(MilterCallError) {
        guard isAtEndOfMessage else {
            throw MilterCallError(call: "\(modification)", detail: "modification outside end of message")
        }
        if failingModification?(modification) == true {
            throw MilterCallError(call: "\(modification)", detail: "MI_FAILURE")
        }
        modifications.append(modification)
    }
}
