/// A reply in Redis's RESP2 protocol, and the encoding of commands.
public enum RESPValue: Sendable, Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    /// nil: the null bulk string (a missing key).
    case bulk([UInt8]?)
    /// nil: the null array (an aborted transaction).
    case array([RESPValue]?)

    /// A command as an array of bulk strings.
    public static func command(_ parts: [[UInt8]]) -> [UInt8] {
        var bytes = Array("*\(parts.count)\r\n".utf8)
        for part in parts {
            bytes += Array("$\(part.count)\r\n".utf8)
            bytes += part
            bytes += [13, 10]
        }
        return bytes
    }

    public struct MalformedReply: Error {}

    /// Limits that keep a hostile or broken server from making us allocate without bound.
    static let maximumBulkLength = 64 << 20
    static let maximumArrayCount = 1 << 20
    static let maximumDepth = 8

    /// Parses one reply starting at `offset`: the value and the offset after it, or nil when
    /// the bytes end before the reply does.
    public static func parse(_ bytes: [UInt8], from offset: Int = 0) throws(MalformedReply) -> (RESPValue, Int)? {
        try parse(bytes, from: offset, depth: 0)
    }

    private static func parse(_ bytes: [UInt8], from offset: Int, depth: Int) throws(MalformedReply) -> (RESPValue, Int)? {
        guard depth <= maximumDepth else { throw MalformedReply() }
        guard offset < bytes.count else { return nil }
        guard let (line, afterLine) = try readLine(bytes, from: offset + 1) else { return nil }
        switch bytes[offset] {
        case UInt8(ascii: "+"):
            return (.simple(String(decoding: line, as: UTF8.self)), afterLine)
        case UInt8(ascii: "-"):
            return (.error(String(decoding: line, as: UTF8.self)), afterLine)
        case UInt8(ascii: ":"):
            return (.integer(try number(line)), afterLine)
        case UInt8(ascii: "$"):
            let length = try number(line)
            if length == -1 { return (.bulk(nil), afterLine) }
            guard length >= 0, length <= maximumBulkLength else { throw MalformedReply() }
            let end = afterLine + Int(length)
            guard bytes.count >= end + 2 else { return nil }
            guard bytes[end] == 13, bytes[end + 1] == 10 else { throw MalformedReply() }
            return (.bulk(Array(bytes[afterLine..<end])), end + 2)
        case UInt8(ascii: "*"):
            let count = try number(line)
            if count == -1 { return (.array(nil), afterLine) }
            guard count >= 0, count <= maximumArrayCount else { throw MalformedReply() }
            var elements: [RESPValue] = []
            var next = afterLine
            for _ in 0..<count {
                guard let (element, after) = try parse(bytes, from: next, depth: depth + 1) else { return nil }
                elements.append(element)
                next = after
            }
            return (.array(elements), next)
        default:
            throw MalformedReply()
        }
    }

    private static func readLine(_ bytes: [UInt8], from offset: Int) throws(MalformedReply) -> (ArraySlice<UInt8>, Int)? {
        var index = offset
        while index + 1 < bytes.count {
            if bytes[index] == 13 {
                guard bytes[index + 1] == 10 else { throw MalformedReply() }
                return (bytes[offset..<index], index + 2)
            }
            index += 1
        }
        // A line longer than any reply header Redis sends is not a reply.
        if bytes.count - offset > 4096 { throw MalformedReply() }
        return nil
    }

    private static func number(_ line: ArraySlice<UInt8>) throws(MalformedReply) -> Int64 {
        guard let value = Int64(String(decoding: line, as: UTF8.self)) else { throw MalformedReply() }
        return value
    }
}
