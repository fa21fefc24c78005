@testable import Features
import Testing

@Suite struct HeaderEvidenceTests {
    /// The ASCII byte path of `tag` must agree with splitting and trimming by characters,
    /// including their quirks: leading '=' skipped, CR LF trimmed as a pair but not a lone CR or LF.
    @Test(arguments: [
        "v=1; a=rsa-sha256; d=example.com; s=sel", " d = Example.COM ;", "d=", "d==x", "=d=x", "==d=x;d=y", ";;d=a;;",
        "d\r\n=x", "\r\nd=x\r\n", "\rd=x", "d\n=x", "x=1;\r\n\td=folded.example;\r\n b=abc", "d= \r\n", "d=\r\r\n",
        "dd=x; d =y", "", ";", "=", " \t=x", "a=b=c; d=e=f", "D=upper.example", "d=x;d=second",
    ])
    func asciiTagMatchesCharacterTag(value: String) {
        #expect(HeaderEvidence.tag("d", in: value) == HeaderEvidence.characterTag("d", in: value))
        #expect(HeaderEvidence.tag("", in: value) == HeaderEvidence.characterTag("", in: value))
    }
}
