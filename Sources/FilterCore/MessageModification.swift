/// A change to the message that libmilter allows only at end of message.
public enum MessageModification: Sendable, Equatable {
    case addHeader(name: String, value: String)
    /// Replaces the `index`-th (1-based) header of that name; a nil value deletes it.
    case changeHeader(name: String, index: Int, value: String?)
    /// Puts the message in Postfix's hold queue.
    case quarantine(reason: String)
}
