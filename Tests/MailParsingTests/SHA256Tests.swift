import MailParsing
import Testing

@Suite struct SHA256Tests {
    private static func hex(of text: String) -> String {
        SHA256.hex(SHA256.digest(Array(text.utf8)))
    }

    /// Feeds `bytes` in chunks of `size` (the last one shorter) and returns the hex digest.
    private static func hexInChunks(_ bytes: [UInt8], of size: Int) -> String {
        var hasher = SHA256()
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            bytes[start..<end].withUnsafeBytes { hasher.update($0) }
            start = end
        }
        return SHA256.hex(hasher.finalize())
    }

    @Test func nistShortMessages() {
        #expect(Self.hex(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Self.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Self.hex(of: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func oneMillionAInUnevenChunks() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hasher = SHA256()
        var start = 0
        let sizes = [1, 63, 64, 65, 127, 4_096, 7, 100_003]
        var next = 0
        while start < message.count {
            let end = min(start + sizes[next % sizes.count], message.count)
            hasher.update(Array(message[start..<end]))
            start = end
            next += 1
        }
        #expect(SHA256.hex(hasher.finalize()) == expected)
        #expect(Self.hexInChunks(message, of: 999_999) == expected)
    }

    /// Expected values were computed once with Python's hashlib over the same SeededGenerator (SplitMix64) bytes.
    @Test(arguments: [
        (1, "d1bbd73bb09190bfb883056771e22e997541ed20079793bf33975fe1654581c3"),
        (55, "8637eb04278131c759f17c03c3dced210ec5975720b93b56aff8d0b36b078283"),
        (56, "5cbfcfe7bfe7b5bb30f3fee099ff595051f5e711074806e80e5bdc563b156f63"),
        (63, "19f880e5c19518b99fe922819fe3087e6527bc411ced7f91df7324c9b691c8a8"),
        (64, "49bd562a823a9725b1afb508286bebbc22411bdd598e378c5fe1b5d36953a06c"),
        (65, "8c1a8c744ba3668ba3ab72f4e68a367abddda9e0cbca4228f74074526d7af322"),
        (119, "99d34511cb1c34139b86a3f0b3993d706158b3d91f33885ee864060daeafae25"),
        (120, "a53ed9ad36aabc8f9004eccef44fc3881e885246ae942c3ef3ba5e4561b720f6"),
        (1_000, "418eeb259efaefd71b9c0323b587368f11abd1cc03e1a255089ea3934cc0ba5a"),
        (4_097, "82f5b16057ea1fafccc585678ddb82965ce181b5f92a1c178c7c425a638ee01c"),
    ])
    func randomInputsMatchHashlib(length: Int, expected: String) {
        let bytes = SeededGenerator.bytes(seed: UInt64(length), count: length)
        #expect(SHA256.hex(SHA256.digest(bytes)) == expected)
        for size in [1, 3, 63, 64, 65, length] {
            #expect(Self.hexInChunks(bytes, of: size) == expected, "chunks of \(size)")
        }
    }

    @Test func chunkingNeverChangesTheDigest() {
        let bytes = SeededGenerator.bytes(seed: 42, count: 3_000)
        let whole = SHA256.hex(SHA256.digest(bytes))
        for size in [1, 3, 63, 64, 65, 128, 2_999, 3_000] {
            #expect(Self.hexInChunks(bytes, of: size) == whole, "chunks of \(size)")
        }
        // Empty updates are harmless.
        var hasher = SHA256()
        hasher.update([])
        hasher.update(bytes)
        hasher.update([])
        #expect(SHA256.hex(hasher.finalize()) == whole)
    }

    @Test func finalizeIsRepeatable() {
        var hasher = SHA256()
        hasher.update(Array("abc".utf8))
        let first = hasher.finalize()
        #expect(hasher.finalize() == first)
        #expect(first.count == 32)
    }

    @Test func hexIsLowerCase() {
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(SHA256.hex([]) == "")
    }
}

