import Baselines
import Testing

@Suite struct RESPValueTests {
    static let reply = Array("*5\r\n$3\r\nabc\r\n$-1\r\n:42\r\n+OK\r\n*2\r\n$0\r\n\r\n-ERR wrong\r\n".utf8)
    static let expected = RESPValue.array([.bulk(Array("abc".utf8)), .bulk(nil), .integer(42), .simple("OK"), .array([.bulk([]), .error("ERR wrong")])])

    @Test func parsesAWholeReply() throws {
        let parsed = try RESPValue.parse(Self.reply)
        #expect(parsed?.0 == Self.expected)
        #expect(parsed?.1 == Self.reply.count)
    }

    @Test func everyPrefixIsIncompleteNotWrong() throws {
        for length in 0..<Self.reply.count {
            #expect(try RESPValue.parse(Array(Self.reply.prefix(length))) == nil)
        }
    }

    @Test func bulkStringsAreBinary() throws {
        let bytes: [UInt8] = [0, 13, 10, 255]
        let encoded = Array("$4\r\n".utf8) + bytes + [13, 10]
        #expect(try RESPValue.parse(encoded)?.0 == .bulk(bytes))
    }

    @Test func commandsAreArraysOfBulkStrings() {
        #expect(RESPValue.command([Array("GET".utf8), [0, 1]]) == Array("*2\r\n$3\r\nGET\r\n$2\r\n".utf8) + [0, 1, 13, 10])
    }

    @Test(arguments: ["?x\r\n", ":nan\r\n", "$-2\r\n", "$99999999999\r\n", "*-5\r\n", "$1\r\nab\r\n", "+OK\rX", "*3000000\r\n", String(repeating: "*1\r\n", count: 20) + ":1\r\n", "+" + String(repeating: "a", count: 5000)])
    func malformedRepliesAreErrors(text: String) {
        #expect(throws: RESPValue.MalformedReply.self) { try RESPValue.parse(Array(text.utf8)) }
    }
}
