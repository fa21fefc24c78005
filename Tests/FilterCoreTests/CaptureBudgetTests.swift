import FilterCore
import Testing

/// What all sessions together keep of their messages for spooling is bounded: each message
/// could keep up to the spool limit, and many sessions at once had no bound at all.
@Suite struct CaptureBudgetTests {
    static let snapshot = DeferredMessageTests.snapshot(byteBudget: 1_024)

    func started(_ budget: CaptureBudget) -> ConnectionFilter {
        var filter = ConnectionFilter()
        _ = filter.mailFrom(arguments: ["<alice@example.org>"], snapshot: Self.snapshot, captureBudget: budget)
        _ = filter.rcptTo(arguments: ["<bob@gannet.test>"])
        _ = filter.header(name: "From", value: "alice@example.org")
        _ = filter.endOfHeaders()
        return filter
    }

    func body(_ filter: inout ConnectionFilter, _ count: Int) -> MilterReply {
        [UInt8](repeating: UInt8(ascii: "a"), count: count).withUnsafeBytes { filter.body($0) }
    }

    @Test func pastTheBudgetAMessageIsTempfailedAndEveryMessageGivesItsBytesBack() {
        let budget = CaptureBudget(limit: 10_000, onExhausted: .tempfail)
        var first = started(budget), second = started(budget)
        #expect(body(&first, 8_000) == .continue)
        #expect(body(&second, 4_000) == .tempfail)
        #expect(budget.bytesInUse > 8_000 && budget.bytesInUse <= 10_000 && budget.refusals == 1)
        second.abort()
        first.abort()
        #expect(budget.bytesInUse == 0)
        var third = started(budget)
        #expect(body(&third, 4_000) == .continue)
        _ = third.endOfMessage(queueID: "4CAP1")
        #expect(budget.bytesInUse == 0)
    }

    @Test func inlineOnlyReadsOnWithoutACopyAndADeferredMessageSaysWhy() throws {
        let budget = CaptureBudget(limit: 10_000, onExhausted: .inlineOnly)
        var first = started(budget), second = started(budget)
        #expect(body(&first, 8_000) == .continue)
        #expect(body(&second, 4_000) == .continue)
        #expect(body(&second, 10) == .continue)
        let outcome = second.endOfMessage(queueID: "4CAP2")
        let deferred = try #require(outcome.deferred, "a message cut by the inline byte budget defers")
        #expect(deferred.bytes == nil && deferred.uncaptured == "CAPTURE_BUDGET")
        let kept = first.endOfMessage(queueID: "4CAP3")
        #expect(kept.deferred?.bytes?.count ?? 0 > 8_000 && kept.deferred?.uncaptured == nil)
        #expect(budget.bytesInUse == 0)
    }
}
