/// Times read back from spool and verdict files, which a damaged or edited file can set to any
/// number: converted saturating, so no stored value traps the worker that reads it.
enum SpoolTime {
    /// Whole seconds since 1970, clamped into Int64 (0 for what is not a number).
    static func epochSeconds(_ seconds: Double) -> Int64 {
        guard !seconds.isNaN else { return 0 }
        guard seconds > -9.2e18 else { return .min }
        guard seconds < 9.2e18 else { return .max }
        return Int64(seconds)
    }

    /// A duration in whole milliseconds for logs, nil when it is not a finite, plausible one.
    static func milliseconds(_ seconds: Double) -> Int? {
        guard seconds.isFinite, abs(seconds) < 9e15 else { return nil }
        return Int((seconds * 1000).rounded())
    }
}
