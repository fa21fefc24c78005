import Foundation

/// How Gannet's own records (spool jobs, verdicts, the decision and verdict logs) are written
/// and read as JSON: keys sorted and slashes plain, and a number that is not finite (a reason
/// weight from a damaged model) written as the string "nan", "inf" or "-inf" instead of
/// failing the whole record: a record that cannot be written leaves a held message with
/// nothing that names it.
enum RecordJSON {
    private static let nan = "nan", infinity = "inf", negativeInfinity = "-inf"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: nan)
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: nan)
        return decoder
    }
}
