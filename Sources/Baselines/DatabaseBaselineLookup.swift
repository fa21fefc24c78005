import Features

/// The records an embedded store last wrote behind, read per message from its SQLite file
/// without loading it: for looking at baselines from outside the daemon (`gannet baselines`,
/// `gannet explain --baselines`).
public struct DatabaseBaselineLookup: BaselineLookup {
    public let model: BaselineModel
    private let database: BaselineDatabase

    public init(path: String, model: BaselineModel) throws(SQLiteError) {
        self.model = model
        database = try BaselineDatabase(path: path)
    }

    /// A database that cannot be read answers as an empty one would.
    public func signals(for message: BaselineQuery) -> BaselineSignals {
        model.signals(for: message, in: (try? database.records(model.keys(for: message))) ?? [:])
    }
}
