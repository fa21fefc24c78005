import Baselines

/// A simulated tenant's mail over months in which every labelled corpus message of a split
/// is one inbound event, its parties drawn from a `TenantGraph` by its label: ham mostly
/// from known correspondents, some from genuine strangers; spam mostly first contacts on
/// fresh domains; phishing mostly first contacts and lookalike domains, but some with a known
/// correspondent's name from a new address and some from known accounts taken over, so that
/// "known sender" never means "safe". Background traffic (outgoing mail, colleagues,
/// contacts, newsletters) warms the store; the stream starts from nothing, as a fresh install
/// does. A test stream can also carry generated payment-fraud attacks without links.
public struct TenantStream: Sendable {
    public struct Settings: Sendable, Equatable {
        public var days = 120
        public var seed: UInt64 = 2026
        /// Shares of each label's messages by kind of sender; the rest of the ham comes from
        /// known correspondents, of spam from first contacts, of phishing from first contacts
        /// on fresh domains.
        public var hamColdContactShare = 0.18
        public var hamKnownNameNewAddressShare = 0.02
        public var spamRepeatSenderShare = 0.2
        public var phishLookalikeDomainShare = 0.28
        public var phishDisplayNameShare = 0.10
        public var phishCompromisedShare = 0.12
        /// From this day on, one generated attack of each injected kind a day; nil: none.
        public var injectAttacksFromDay: Int?

        public init() {}
    }

    /// 2026-01-01T00:00:00Z.
    public static let start: Int64 = 1_767_225_600

    public let settings: Settings
    public let graph: TenantGraph
    /// In time order.
    public let events: [TenantEvent]
    /// The generated messages of injected attacks, by `TenantEvent.Content.injected` index.
    public let injected: [[UInt8]]

    /// `labels` are the corpus messages' labels (ham, spam, phish), by index.
    public init(labels: [String], settings: Settings = Settings()) {
        var builder = TenantStreamBuilder(seed: settings.seed)
        self.settings = settings
        graph = builder.graph
        for day in 0..<settings.days { builder.addBackground(day: day) }
        for (index, label) in labels.enumerated() {
            builder.addCorpusMessage(index, label: label, day: builder.random.below(settings.days), settings: settings)
        }
        if let first = settings.injectAttacksFromDay {
            for day in first..<max(first, settings.days) {
                for kind in TenantEvent.Kind.injected { builder.addInjectedAttack(kind, day: day) }
            }
        }
        // Stable: events at the same second keep the order they were made in.
        events = builder.events.enumerated().sorted { ($0.element.message.at, $0.offset) < ($1.element.message.at, $1.offset) }.map(\.element)
        injected = builder.injected
    }
}
