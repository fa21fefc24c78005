import Foundation

/// A count that halves every half-life, so old behaviour fades and a sender's standing has
/// to be kept up rather than earned once.
public struct DecayedCount: Sendable, Equatable {
    /// The count as of `updatedAt`.
    public private(set) var stored: Double
    /// Seconds since 1970 of the last addition.
    public private(set) var updatedAt: Int64

    public init(stored: Double = 0, updatedAt: Int64 = 0) {
        self.stored = stored.isFinite && stored > 0 ? stored : 0
        self.updatedAt = updatedAt
    }

    /// The count seen at `now`; a `now` before the last addition (clock skew between
    /// MTAs) decays nothing.
    public func value(at now: Int64, halfLife: Double) -> Double {
        guard stored > 0, now > updatedAt, halfLife > 0 else { return stored }
        return stored * exp2(-Double(elapsedSeconds(from: updatedAt, to: now)) / halfLife)
    }

    public mutating func add(_ amount: Double, at now: Int64, halfLife: Double) {
        let moment = max(now, updatedAt)
        stored = value(at: moment, halfLife: halfLife) + amount
        updatedAt = moment
    }
}

/// Seconds from `time` to `now`, saturating where the difference overflows: a damaged value
/// in SQLite or Redis can hold any time, and must not trap.
func elapsedSeconds(from time: Int64, to now: Int64) -> Int64 {
    let (elapsed, overflow) = now.subtractingReportingOverflow(time)
    guard overflow else { return elapsed }
    return now > time ? .max : .min
}
