import MailParsing
import Testing

@Suite struct EncodedWordsTests {
    @Test(arguments: [
        ("=?utf-8?B?SGVsbG8=?=", "Hello"),
        ("=?UTF-8?b?SGVsbG8=?=", "Hello"),
        ("=?utf-8?B?SGVsbG8?=", "Hello"),  // padding dropped by the sender
        ("=?ISO-8859-1?Q?caf=E9_cr=E8me?=", "café crème"),
        ("=?iso-8859-1?q?caf=e9?=", "café"),
        ("=?utf-8?Q?=E2=82=AC_100?=", "€ 100"),
        ("=?utf-8?B?5pel5pys6Kqe?=", "日本語"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        ("=?windows-1252?Q?=93Urgent=94?=", "“Urgent”"),
        ("Re: =?utf-8?Q?Rechnung_f=C3=A4llig?= now", "Re: Rechnung fällig now"),
        ("Grüße =?utf-8?q?=C3=A0?=", "Grüße à"),
        ("=?utf-8?q??=", ""),
        // RFC 2231 language suffix, including the RFC's own example.
        ("=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore"),
        ("=?utf-8*de?Q?Gr=C3=BC=C3=9Fe?=", "Grüße"),
    ])
    func decodesSingleWords(value: String, text: String) {
        #expect(EncodedWords.decode(value) == (text, 0))
    }

    /// The examples of RFC 2047 §8.
    @Test(arguments: [
        ("(=?ISO-8859-1?Q?a?=)", "(a)"),
        ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
    ])
    func rfc2047Examples(value: String, text: String) {
        #expect(EncodedWords.decode(value).text == text)
    }

    @Test(arguments: [
        ("=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b"),  // only pure whitespace is dropped
        ("=?utf-8?q?a?==?utf-8?q?b?=", "ab"),
        ("=?utf-8?q?a?=\t=?iso-8859-2?q?=B1?=\r\n =?koi8-r?q?=F0?=", "aąП"),
        ("  =?utf-8?q?a?=  ", "  a  "),  // whitespace next to plain text is kept
    ])
    func adjacentWords(value: String, text: String) {
        #expect(EncodedWords.decode(value).text == text)
    }

    @Test func multiByteCharacterCutBetweenWordsOfOneCharsetIsJoined() {
        // "€" is E2 82 AC: the first word carries E2 82, the second AC.
        #expect(EncodedWords.decode("=?utf-8?B?4oI=?= =?UTF-8?B?rA==?=") == ("€", 0))
        #expect(EncodedWords.decode("=?UTF-8?Q?Pay_=E2=82?=\r\n =?utf8?b?rA==?= now") == ("Pay € now", 0))
        // "日本語" cut mid-character and spread over three words.
        #expect(EncodedWords.decode("=?utf-8?B?5pel5pw=?= =?utf-8?B?rOg=?= =?utf-8?B?qp4=?=") == ("日本語", 0))
    }

    @Test func cutCharacterFollowedByAnotherCharsetIsOneReplacement() {
        #expect(EncodedWords.decode("=?utf-8?B?4oI=?= =?iso-8859-1?Q?a?=") == ("\u{FFFD}a", 1))
        #expect(EncodedWords.decode("=?utf-8?B?4oI=?= plain") == ("\u{FFFD} plain", 1))
    }

    @Test func replacementsAreCounted() {
        #expect(EncodedWords.decode("=?utf-8?B?/w==?=") == ("\u{FFFD}", 1))
        #expect(EncodedWords.decode("=?utf-8?Q?=C0=AF?= and =?iso-8859-3?Q?=A5?=") == ("\u{FFFD}\u{FFFD} and \u{FFFD}", 3))
    }

    @Test(arguments: [
        "=?x-unknown?Q?abc?=",
        "=?utf-16?B?AGEAYg==?=",
        "=?utf-8?B?***?=",
        "=?utf-8?B?SGVsb?=",  // 5 base64 characters cannot be a whole number of bytes
        "=?utf-8?B?SGVs=bG8=?=",
        "=?utf-8?B?SGVsbG8===?=",
        "=?utf-8?B?SGVsbA=?=",
        "=?utf-8?X?abc?=",
        "=?utf-8?QQ?abc?=",
        "=?utf-8?Q?abc",
        "=?utf-8?Q?abc?",
        "=?utf-8?Q?=ZZ?=",
        "=?utf-8?Q?abc=?=",
        "=?utf-8?Q?a b?=",
        "=??Q?abc?=",
        "=?*en?Q?abc?=",
        "=?utf 8?Q?abc?=",
        "=?", "=?=", "?=", "a=?b", "=?utf-8?", "",
        "Plain subject, no words at all",
    ])
    func unknownOrMalformedWordsAreLeftAsWritten(value: String) {
        #expect(EncodedWords.decode(value) == (value, 0))
    }

    @Test func malformedWordsKeepTheirSurroundingWhitespace() {
        #expect(EncodedWords.decode("=?utf-8?Q?a?= =?x-unknown?Q?b?= =?utf-8?Q?c?=") == ("a =?x-unknown?Q?b?= c", 0))
        #expect(EncodedWords.decode("=?=?utf-8?q?a?=") == ("=?a", 0))
    }

    @Test func oversizedValuesAreReturnedAsIs() {
        let word = "=?utf-8?Q?a?= "
        let large = String(repeating: word, count: 64 * 1024 / word.utf8.count + 1)
        #expect(EncodedWords.decode(large) == (large, 0))
        let justFits = String(repeating: "x", count: 64 * 1024 - word.utf8.count) + word
        #expect(EncodedWords.decode(justFits).text.hasSuffix("xa "))
    }

    @Test func randomInputNeverTraps() {
        let pieces = ["=?", "?=", "?", "=", "utf-8", "UTF8", "iso-8859-1", "koi8-r", "x-bogus", "*en", "?B?", "?q?", "?Q?",
                      "4oI=", "rA==", "SGVsbG8", "===", "=E2", "=82", "=AC", "=Z", "_", " ", "\r\n ", "\t", "a", "é", "🦅", "\u{0}"]
        var generator = SeededGenerator(seed: 2047)
        for iteration in 0..<4000 {
            let value: String
            if iteration % 4 == 0 {
                let bytes = (0..<Int.random(in: 0...48, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                value = String(decoding: bytes, as: UTF8.self)
            } else {
                value = (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            let result = EncodedWords.decode(value)
            #expect(result.replacements >= 0)
            // Decoding only ever shrinks a word or expands undecodable bytes to U+FFFD, at most threefold.
            #expect(result.text.utf8.count <= 3 * value.utf8.count)
            if !value.contains("=?") {
                #expect(result.text == value)
            }
        }
    }
}
