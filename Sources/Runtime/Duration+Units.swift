extension Duration {
    /// The duration in seconds, for metrics and logs.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded up so a short timeout never becomes zero.
    public var wholeMilliseconds: Int {
        Int((seconds * 1000).rounded(.up))
    }
}
