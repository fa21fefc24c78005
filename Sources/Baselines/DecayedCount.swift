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
        return stored * exp2(-Double(now - updatedAt) / halfLife)
    }

    public mutating func add(_ amount: Double, at now: Int64, halfLife: Double) {
        let moment = max(now, updatedAt)
        stored = value(at: moment, halfLife: halfLife) + amount
        updatedAt = moment
    }
}
