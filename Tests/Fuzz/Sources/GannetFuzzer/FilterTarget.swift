import Detection
import FilterCore
import Features
import Foundation

/// The inline pass as libmilter drives it: envelope, macros, header and body callbacks and
/// end of message in whatever order and chunking the input picks, with the shipped model and
/// starter rules, under a small capture budget. Findings: any trap or sanitizer report, a
/// verdict that is not a number, more modifications than the filter may ask for, or capture
/// budget not given back once the message is gone.
enum FilterTarget {
    static let snapshot: FilterSnapshot = {
        let path = ProcessInfo.processInfo.environment["GANNET_FUZZ_MODEL"] ?? "../../etc/gannet/model.gmodel"
        let model = try? ModelFile.load(path)
        let names: Set<String> = ["internal_domains", "protected_domains", "blocked_senders", "blocked_domains", "allowed_senders", "allowed_domains"]
        let rules = try! RuleParser.parse(StarterRules.text, file: "starter rules", externalLists: names)
        let lists = SenderLists(blockedAddresses: ["bad@evil.example"], blockedDomains: ["phish.test"])
        let engine = DetectionEngine(lists: lists, model: model, rules: RuleEvaluator(rules: rules, externalLists: [:]))
        return FilterSnapshot(policy: FilterPolicy(inlineByteBudget: 64 * 1024), engine: engine, features: FeatureSettings(internalDomains: ["gannet.test"]))
    }()

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let budget = CaptureBudget(limit: 4_096 + Int(input.byte()) << 8, onExhausted: input.byte() & 1 == 0 ? .tempfail : .inlineOnly)
        var filter = ConnectionFilter()
        var steps = 0
        while !input.isEmpty, steps < 2_000 {
            steps += 1
            switch input.byte() % 10 {
            case 0: _ = filter.connect(host: input.text(), address: input.text())
            case 1: _ = filter.helo(input.text())
            case 2: _ = filter.mailFrom(arguments: [input.text()], snapshot: snapshot, receivedAt: Int64(bitPattern: UInt64(input.byte()) << 56), originating: input.byte() & 1 == 1, captureBudget: budget)
            case 3: _ = filter.rcptTo(arguments: [input.text()])
            case 4: _ = filter.header(name: input.text(), value: input.text())
            case 5: _ = filter.endOfHeaders()
            case 6: _ = input.data().withUnsafeBytes { filter.body($0) }
            case 7: check(filter.endOfMessage(queueID: input.text()))
            case 8: filter.abort()
            default: _ = filter.failureAction
            }
        }
        check(filter.endOfMessage(queueID: "END"))
        precondition(budget.bytesInUse == 0, "capture budget not given back: \(budget.bytesInUse) bytes")
    }

    private static func check(_ outcome: EndOfMessageOutcome) {
        if let verdict = outcome.verdict { precondition(verdict.isFinite, "a verdict that is not a number reached a header") }
        precondition(outcome.modifications.count <= ConnectionFilter.maximumStrippedVerdictHeaders + 2, "unbounded modifications")
    }
}
