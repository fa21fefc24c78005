/// How many messages one key has been credited with on the current UTC day: the cap on any
/// one sender's influence, so a burst of mail cannot buy the standing that months of it earn.
public struct DailyCredit: Sendable, Equatable {
    /// Days since 1970 (UTC) that `used` belongs to.
    public private(set) var day: Int64
    public private(set) var used: UInt32

    public init(day: Int64 = 0, used: UInt32 = 0) {
        self.day = day
        self.used = used
    }

    /// Takes one unit of credit at `now` if fewer than `limit` were taken that day.
    public mutating func take(at now: Int64, limit: Int) -> Bool {
        // Floor division that cannot overflow, for any time a damaged store hands over.
        let today = now >= 0 ? now / 86_400 : (now + 1) / 86_400 - 1
        if today > day {
            day = today
            used = 0
        }
        guard Int(used) < limit else { return false }
        used += 1
        return true
    }
}
