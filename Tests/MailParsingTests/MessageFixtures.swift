/// Messages the parser tests run on, well-formed and hostile. Built in code so that large and
/// binary cases need no files, and every fixture is reproducible.
enum MessageFixtures {
    struct Fixture: CustomStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        var description: String { name }
    }

    static func text(_ name: String, _ text: String) -> Fixture {
        Fixture(name: name, bytes: Array(text.replacingLineEnds().utf8))
    }

    static let all: [Fixture] = [
        plain, alternative, nestedWithAttachments, attachedMessage, latin1QuotedPrintable, truncatedBase64,
        unterminatedBoundary, nulBytes, eightBitJunk, multipartWithoutBoundary, boundaryWithoutBlankLine, hugeHeaderLine,
        manyParts, deepNesting, emptyBody, zipAttachment,
    ]

    static let plain = text("plain", """
        From: "Alice Example" <alice@example.org>
        To: bob@gannet.test
        Subject: =?utf-8?B?Q2Fmw6k=?= meeting
        Date: Tue, 1 Jul 2025 10:52:37 +0200
        Message-ID: <123@example.org>

        Hello Bob,
        see https://www.example.org/agenda?id=7 before the meeting.
        """)

    static let alternative = text("alternative", """
        From: PayPal <service@paypa1-secure.com>
        To: victim@gannet.test
        Subject: Your account has been suspended
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="alt-1"

        preamble is ignored
        --alt-1
        Content-Type: text/plain; charset=utf-8

        Verify your account within 24 hours.
        --alt-1
        Content-Type: text/html; charset="utf-8"
        Content-Transfer-Encoding: quoted-printable

        <html><body><p>Verify your account <a href=3D"http://paypa1-secure.com/login">https://www.paypal.com</a></p>
        <div style=3D"display:none">hidden words</div><img src=3D"http://t.example/p.gif" width=3D"1" height=3D"1"></body></html>
        --alt-1--
        epilogue is ignored
        """)

    static let nestedWithAttachments = text("nested-attachments", """
        From: billing@vendor.example
        To: ap@gannet.test
        Subject: Invoice 4711
        Content-Type: multipart/mixed; boundary=outer

        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/plain

        Please find the invoice attached.
        --inner
        Content-Type: text/html

        <p>Please find the <b>invoice</b> attached.</p>
        --inner--
        --outer
        Content-Type: application/octet-stream; name="invoice.pdf.exe"
        Content-Disposition: attachment; filename="invoice.pdf.exe"
        Content-Transfer-Encoding: base64

        TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
        AAAAgAAAAA4fug4AtAnNIbgBTM0hVGhpcyBwcm9ncmFtIGNhbm5vdCBiZSBydW4gaW4gRE9TIG1v
        ZGUuDQ0KJAAAAAAAAAA=
        --outer
        Content-Type: application/pdf
        Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl
        Y29kZT4+CnN0cmVhbQo=
        --outer--
        """)

    static let attachedMessage = text("attached-message", """
        From: forwarder@example.org
        To: soc@gannet.test
        Subject: Fwd: suspicious
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain

        See attached.
        --b1
        Content-Type: message/rfc822

        From: "IT Helpdesk" <helpdesk@evil.example>
        Subject: Mailbox quota exceeded
        Content-Type: text/html; charset=iso-8859-1

        <p>Your mailbox is full. <a href="http://evil.example/owa/login.php">Validate your mailbox</a> caf\u{E9}</p>
        --b1--
        """)

    static let latin1QuotedPrintable = text("latin1-qp", """
        From: =?iso-8859-1?Q?Ren=E9?= <rene@example.fr>
        Subject: =?iso-8859-1?Q?R=E9union?=
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        Caf=E9 cr=E8me, soft=
         break and a broken =ZZ escape.
        """)

    static let truncatedBase64 = text("truncated-base64", """
        From: a@example.org
        Content-Type: multipart/mixed; boundary=x

        --x
        Content-Type: application/zip; name=a.zip
        Content-Transfer-Encoding: base64

        UEsDBBQAAAAIAAAAIQ
        """)

    static let unterminatedBoundary = text("unterminated-boundary", """
        From: a@example.org
        Content-Type: multipart/mixed; boundary="never-closed"

        --never-closed
        Content-Type: text/plain

        first part
        --never-closed
        Content-Type: text/html

        <p>second part, and the message simply ends
        """)

    static let nulBytes = Fixture(name: "nul-bytes", bytes: Array("From: a@example.org\r\nContent-Type: text/plain\r\n\r\nbefore\u{0}\u{0}after\r\n".utf8) + [0, 0, 0, 10])

    static let eightBitJunk: Fixture = {
        var generator = SeededGenerator(seed: 42)
        var bytes = Array("From: junk@example.org\r\nSubject: caf\u{E9}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".utf8)
        for _ in 0..<20_000 { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
        return Fixture(name: "8bit-junk", bytes: bytes)
    }()

    static let multipartWithoutBoundary = text("multipart-without-boundary", """
        From: a@example.org
        Content-Type: multipart/mixed

        --whatever
        just text
        """)

    static let boundaryWithoutBlankLine = text("boundary-without-blank-line", """
        From: a@example.org
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: text/plain
        --b
        Content-Type: text/plain

        body of the second part
        --b--
        """)

    static let hugeHeaderLine: Fixture = {
        var text = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=h\r\n\r\n--h\r\nX-Huge: "
        text += String(repeating: "A", count: 1_048_576)
        text += "\r\nContent-Type: text/plain\r\n\r\nafter the huge header\r\n--h--\r\n"
        return Fixture(name: "huge-header-line", bytes: Array(text.utf8))
    }()

    static let manyParts: Fixture = {
        var text = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n"
        for index in 0..<10_000 { text += "--p\r\nContent-Type: text/plain\r\n\r\npart \(index)\r\n" }
        text += "--p--\r\n"
        return Fixture(name: "10000-parts", bytes: Array(text.utf8))
    }()

    static let deepNesting: Fixture = {
        var text = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=d0\r\n\r\n"
        for level in 1..<40 { text += "--d\(level - 1)\r\nContent-Type: multipart/mixed; boundary=d\(level)\r\n\r\n" }
        text += "--d39\r\nContent-Type: text/plain\r\n\r\ndeep\r\n"
        return Fixture(name: "deep-nesting", bytes: Array(text.utf8))
    }()

    static let emptyBody = text("empty-body", "From: a@example.org\nSubject: nothing\n")

    /// A stored zip holding `invoice.pdf.exe`, made with Python's zipfile.
    static let zipAttachment = text("zip-attachment", """
        From: a@example.org
        Content-Type: multipart/mixed; boundary=z

        --z
        Content-Type: application/zip; name="docs.zip"
        Content-Transfer-Encoding: base64

        UEsDBBQAAAAAAAAAIQCAflBYBAAAAAQAAAAPAAAAaW52b2ljZS5wZGYuZXhlTVqQAFBLAQIUAxQA
        AAAAAAAAIQCAflBYBAAAAAQAAAAPAAAAAAAAAAAAAACAAQAAAABpbnZvaWNlLnBkZi5leGVQSwUG
        AAAAAAEAAQA9AAAAMQAAAAAA
        --z--
        """)
}

extension String {
    /// Fixtures are written with LF; mail on the wire uses CRLF.
    func replacingLineEnds() -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }
}
