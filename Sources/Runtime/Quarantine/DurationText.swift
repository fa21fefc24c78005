/// Spans written as on the command line: `90s`, `15m`, `2h`, `1d`, `7d`, `2w`.
public enum DurationText {
    /// Seconds, or nil for anything else (no unit, a negative or absurd number).
    public static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let number = Double(text.dropLast()), number >= 0, number < 1e7 else { return nil }
        switch unit {
        case "s": return number
        case "m": return number * 60
        case "h": return number * 3_600
        case "d": return number * 86_400
        case "w": return number * 604_800
        default: return nil
        }
    }
}
