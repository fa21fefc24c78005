import Baselines
import Features
import FilterCore
import Testing
import Training

@Suite struct TenantStreamTests {
    /// 600 ham, 200 spam, 200 phishing, interleaved.
    static let labels = (0..<1000).map { $0 % 5 < 3 ? "ham" : $0 % 5 == 3 ? "spam" : "phish" }

    static func settings(seed: UInt64 = 7, injecting: Bool = false) -> TenantStream.Settings {
        var settings = TenantStream.Settings()
        settings.seed = seed
        settings.injectAttacksFromDay = injecting ? 60 : nil
        return settings
    }

    static let stream = TenantStream(labels: labels, settings: settings(injecting: true))
    static let signals = stream.signals()

    /// The signals of corpus events of `kinds` (all when empty) arriving in `days`.
    func corpusSignals(_ days: Range<Int>, _ kinds: Set<TenantEvent.Kind> = []) -> [BaselineSignals] {
        Self.stream.events.compactMap { event in
            guard case .corpus = event.content, kinds.isEmpty || kinds.contains(event.kind) else { return nil }
            let day = Int((event.message.at - TenantStream.start) / 86_400)
            return days.contains(day) ? Self.signals[event.content] : nil
        }
    }

    func share(_ signals: [BaselineSignals], _ feature: Feature) -> Double {
        Double(signals.filter { $0[feature] > 0 }.count) / Double(max(1, signals.count))
    }

    @Test func theSameSeedGivesTheSameStreamAndSignals() {
        let again = TenantStream(labels: Self.labels, settings: Self.settings(injecting: true))
        #expect(again.events == Self.stream.events)
        #expect(again.injected == Self.stream.injected)
        #expect(again.signals() == Self.signals)
        #expect(TenantStream(labels: Self.labels, settings: Self.settings(seed: 8, injecting: true)).events != Self.stream.events)
    }

    @Test func everyCorpusMessageArrivesOnceWithItsLabelsKindOfSender() {
        let corpus = Self.stream.events.compactMap { event -> (Int, TenantEvent.Kind)? in
            if case .corpus(let index) = event.content { return (index, event.kind) }
            return nil
        }
        #expect(corpus.map(\.0).sorted() == Array(Self.labels.indices))
        let spamKinds: Set<TenantEvent.Kind> = [.spamFirstContact, .spamRepeatSender]
        for (index, kind) in corpus where Self.labels[index] == "spam" { #expect(spamKinds.contains(kind)) }
        #expect(zip(Self.stream.events, Self.stream.events.dropFirst()).allSatisfy { $0.message.at <= $1.message.at })
    }

    @Test func theStoreStartsColdAndWarmsUp() {
        let firstDay = corpusSignals(0..<1)
        #expect(!firstDay.isEmpty)
        #expect(firstDay.allSatisfy { $0[.baselinesAnswered] == 1 })
        #expect(share(firstDay, .senderKnown) < 0.2)
        let hamKinds: Set<TenantEvent.Kind> = [.colleague, .contact, .newsletter, .coldContact, .knownNameNewAddress]
        let warmHam = corpusSignals(30..<120, hamKinds)
        #expect(share(warmHam, .senderKnown) > 0.7)
        // Genuine strangers stay strangers.
        #expect(share(corpusSignals(30..<120, [.coldContact]), .senderKnown) == 0)
    }

    @Test func knownSenderDoesNotMeanSafe() {
        #expect(share(corpusSignals(30..<120, [.phishCompromisedAccount]), .senderKnown) > 0.8)
        let repeatSpam = corpusSignals(0..<120, [.spamRepeatSender])
        #expect(!repeatSpam.isEmpty)
        #expect(repeatSpam.allSatisfy { $0[.senderKnown] == 0 && $0[.senderCleanShare] == 0 })
    }

    @Test func impersonationComesFromAKnownNameAtANewAddress() throws {
        let injected = Self.stream.events.filter { TenantEvent.Kind.injected.contains($0.kind) }
        #expect(injected.count == 3 * 60)
        let executive = injected.filter { $0.kind == .executiveImpersonation }.map { Self.signals[$0.content]! }
        #expect(executive.allSatisfy { $0[.displayNameNewAddress] == 1 && $0[.senderKnown] == 0 })
        let vendor = injected.filter { $0.kind == .lookalikeVendor }.map { Self.signals[$0.content]! }
        #expect(share(vendor, .displayNameNewAddress) > 0.9)
        let fraud = injected.filter { $0.kind == .freshDomainFraud }.map { Self.signals[$0.content]! }
        #expect(fraud.allSatisfy { $0[.displayNameNewAddress] == 0 && $0[.domainKnown] == 0 })
    }

    @Test func injectedAttacksAreLinkFreeMessagesFromTheirParties() throws {
        for event in Self.stream.events {
            guard case .injected(let index) = event.content else { continue }
            let bytes = Self.stream.injected[index]
            let message = RawMessage(bytes: bytes)
            let from = try #require(message.firstValue(of: "From"))
            #expect(from.contains("<\(event.message.fromAddress)>") && from.contains(event.message.fromDisplayName))
            #expect(message.firstValue(of: "To")?.contains(event.message.recipients[0]) == true)
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            #expect(!text.contains("http") && !text.contains("www."))
        }
    }
}
