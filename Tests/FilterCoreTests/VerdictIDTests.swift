import FilterCore
import Testing

@Suite struct VerdictIDTests {
    @Test func idsAreShortDistinctAndNeverAQueueID() {
        let ids = (0..<10_000).map { _ in VerdictID.make() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { VerdictID.isVerdictID($0) && $0.count == 12 && $0.hasPrefix("g-") })
        // Postfix queue ids are letters and digits only; Crockford's alphabet has no i, l, o, u.
        for notAnID in ["4XyB2kQ7Zn", "g-0123", "g-012345678i", "G-0123456789", "g-0123456789x", ""] {
            #expect(!VerdictID.isVerdictID(notAnID), "\(notAnID)")
        }
    }
}
