import Features
import Baselines

/// Runs the simulated stream through a store the way the daemon would — look up at end of
/// message, learn from the final verdict (attacks end flagged, the rest clean) — and reports
/// how a simple behavioural score separates attacks from genuine inbound mail after the
/// 60-day warm-up: attack recall at the false-positive rates an enterprise accepts.
enum SimulationReport {
    /// Suspicion from behaviour alone: a known name from a new address, a first contact the
    /// recipient never wrote to, a young sender domain.
    static func score(_ signals: BaselineSignals) -> Double {
        var score = 0.0
        score += 3 * signals[.displayNameNewAddress]
        score += signals[.pairFirstContactShare] * (1 - signals[.pairReplyShare])
        score += signals[.domainAgeDays] < 1 ? 1 : 0
        score += signals[.senderKnown] == 0 ? 0.5 : 0
        return score
    }

    static func run(days: Int) {
        var random = SplitMix64(seed: 2026)
        let simulator = StreamSimulator(days: days)
        let events = simulator.events(random: &random)
        var settings = BaselineSettings()
        settings.internalDomains = [StreamSimulator.domain]
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings))
        let warmUpEnd = SyntheticTenant.start + 60 * 86_400
        var scored: [(kind: StreamSimulator.Kind, score: Double)] = []
        for event in events {
            if !event.outgoing, event.message.at >= warmUpEnd {
                scored.append((event.kind, score(store.signals(for: event.message))))
            }
            store.learn(BaselineObservation(message: event.message, outcome: event.kind.isAttack ? .flagged : .clean))
        }
        let genuine = scored.filter { !$0.kind.isAttack }.map(\.score).sorted(by: >)
        let attacks = scored.filter { $0.kind.isAttack }
        print("simulated tenant: \(simulator.users) users, \(days) days, \(events.count) messages (\(events.filter(\.outgoing).count) outgoing); scored after day 60: \(genuine.count) genuine inbound, \(attacks.count) attacks")
        for kind in StreamSimulator.Kind.allCases {
            let scores = scored.filter { $0.kind == kind }.map(\.score)
            guard !scores.isEmpty else { continue }
            print("  \(kind.rawValue): \(scores.count) messages, mean behavioural score \(String(format: "%.2f", scores.reduce(0, +) / Double(scores.count)))")
        }
        for rate in [0.001, 0.01] {
            // The lowest threshold whose share of genuine mail scoring above it stays within the rate.
            let allowed = Int(Double(genuine.count) * rate)
            let threshold = allowed < genuine.count ? genuine[allowed] : 0
            let falsePositives = genuine.filter { $0 > threshold }.count
            let caught = attacks.filter { $0.score > threshold }.count
            print(String(format: "  at ≤%.1f%% false positives (%d of %d genuine): attack recall %.1f%% (%d of %d), score > %.2f", rate * 100, falsePositives, genuine.count, 100 * Double(caught) / Double(max(attacks.count, 1)), caught, attacks.count, threshold))
            for kind in StreamSimulator.Kind.allCases where kind.isAttack {
                let ofKind = attacks.filter { $0.kind == kind }
                print(String(format: "    %@: %d of %d", kind.rawValue, ofKind.filter { $0.score > threshold }.count, ofKind.count))
            }
        }
    }
}
