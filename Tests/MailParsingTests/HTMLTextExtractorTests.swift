import MailParsing
import Testing

/// Tests of the streaming HTML extractor; every fixture is also checked under many chunkings.
@Suite struct HTMLTextExtractorTests {
    /// An HTML document for the chunking tests.
    struct Fixture: Sendable, CustomTestStringConvertible {
        var name: String
        var html: String
        var testDescription: String { name }
    }
}

// MARK: - Helpers

/// Everything an extraction produces, for comparing chunkings.
private struct HTMLExtraction: Equatable {
    var text: [UInt8]
    var links: [HTMLLink]
    var stats: HTMLStats

    var string: String { String(decoding: text, as: UTF8.self) }
    var linkSummaries: [String] { links.map(summary) }
}

/// Feeds `bytes` in chunks of `chunkSize` bytes (nil: in one call), taking the visible text
/// after every chunk.
private func extract(_ bytes: [UInt8], chunkSize: Int? = nil, limits: HTMLLimits = HTMLLimits()) -> HTMLExtraction {
    var extractor = HTMLTextExtractor(limits: limits)
    var text: [UInt8] = []
    if let chunkSize {
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            bytes[start..<end].withUnsafeBytes { extractor.feed($0) }
            text += extractor.takeVisibleText()
            start = end
        }
    } else {
        extractor.feed(bytes)
    }
    extractor.finish()
    text += extractor.takeVisibleText()
    return HTMLExtraction(text: text, links: extractor.links, stats: extractor.stats)
}

private func extract(_ html: String, chunkSize: Int? = nil, limits: HTMLLimits = HTMLLimits()) -> HTMLExtraction {
    extract(Array(html.utf8), chunkSize: chunkSize, limits: limits)
}

/// "kind url [anchor text]", with " hidden" when hidden: readable expectations for links.
private func summary(_ link: HTMLLink) -> String {
    "\(link.kind.rawValue) \(link.url) [\(link.anchorText)]\(link.hidden ? " hidden" : "")"
}

// MARK: - Visible text

private let visibleTextCases: [(String, String)] = [
    ("<p>Hello</p><p>World</p>", "Hello\nWorld"),
    ("Hello   \n\t  world\r\n", "Hello world"),
    ("   leading and trailing   ", "leading and trailing"),
    ("<div>a<br>b<br/>c</br>d</div>", "a\nb\nc\nd"),
    ("<ul><li>one<li>two</ul>after", "one\ntwo\nafter"),
    ("<ol>\n  <li> first </li>\n  <li>second</li>\n</ol>", "first\nsecond"),
    ("<table><tr><td>Name</td><td>Value</td></tr><tr><td>x</td></tr></table>", "Name\nValue\nx"),
    ("<h1>Title</h1>body <b>bold</b> <i>it</i>alic", "Title\nbody bold italic"),
    ("<p>para<div>block</div>tail", "para\nblock\ntail"),
    ("a&amp;b &lt;tag&gt; &quot;q&quot; &apos;s&apos;", "a&b <tag> \"q\" 's'"),
    ("caf&eacute; na&iuml;ve &Uuml;ber Stra&szlig;e &ccedil;a &ntilde;", "café naïve Über Straße ça ñ"),
    ("&copy; &reg; &trade; &euro;5 &pound;3 &yen; &cent; &sect; &para; &deg; &plusmn; &times; &divide; &frac12;",
     "© ® ™ €5 £3 ¥ ¢ § ¶ ° ± × ÷ ½"),
    ("&hellip;&mdash;&ndash;&lsquo;&rsquo;&ldquo;&rdquo;&laquo;&raquo;&bull;&middot;", "…—–‘’“”«»•·"),
    ("a&nbsp;&nbsp;&nbsp;b&nbsp;", "a b"),
    ("a\u{00A0}\u{2003}b\u{3000}c\u{202F}d", "a b c d"),
    ("&#72;&#x65;&#X6C;&#108;o&#33", "Hello!"),
    ("&#0; &#xD800; &#x110000; &#99999999999999;", "\u{FFFD} \u{FFFD} \u{FFFD} \u{FFFD}"),
    ("&#150;&#153;&#128;", "–™€"),
    ("&copy2024 &ampx &notit; &unknown; & &; &#; &#x; &#xZ", "©2024 &x ¬it; &unknown; & &; &#; &#x; &#xZ"),
    ("x<!-- a comment <p>not</p> -->y", "xy"),
    ("<script>var a = '<p>no</p>'; if (a < b) {}</script>text<style>p { color: red }</style>", "text"),
    ("<SCRIPT type=x>alert('</scripty>')</SCRIPT >shown", "shown"),
    ("<head><title>Subject &amp; line</title></head><body>Body</body>", "Body"),
    ("<textarea>typed &amp; <b>raw</b></textarea>", "typed & <b>raw</b>"),
    ("<xmp><b>shown as is</b></xmp>", "<b>shown as is</b>"),
    ("<pre>  keep   me </pre>", "keep me"),
    ("<span>in</span><span>line</span>", "inline"),
    ("<p></p><p>  </p><div><div>x</div></div>", "x"),
    ("a<img src=x alt=picture>b", "ab"),
    ("<noscript>no script</noscript>", "no script"),
    ("<iframe src=x>frame text</iframe>after", "after"),
    ("<select><option>One<option>Two</select>", "One\nTwo"),
    ("tab\u{0}null", "tabnull"),
]

extension HTMLTextExtractorTests {
    @Test("visible text of typical structures", arguments: visibleTextCases)
    func visibleText(html: String, expected: String) {
        #expect(extract(html).string == expected)
    }

    @Test func visibleTextIsTakenIncrementally() {
        var extractor = HTMLTextExtractor()
        extractor.feed(Array("<p>Hello </p>".utf8))
        #expect(extractor.takeVisibleText() == Array("Hello".utf8))
        #expect(extractor.takeVisibleText().isEmpty)
        extractor.feed(Array("<p>World &am".utf8))
        #expect(extractor.takeVisibleText() == Array("\nWorld".utf8))
        extractor.feed(Array("p; x".utf8))
        extractor.finish()
        #expect(extractor.takeVisibleText() == Array(" & x".utf8))
        extractor.feed(Array("ignored after finish".utf8))
        #expect(extractor.takeVisibleText().isEmpty)
    }

    @Test func visibleAndHiddenByteCounts() {
        let result = extract("<p>ab</p>cd <span hidden>x y</span>")
        #expect(result.string == "ab\ncd")
        #expect(result.stats.visibleTextBytes == 5)
        #expect(result.stats.hiddenTextBytes == 2)
    }
}

// MARK: - Links

private let linkCases: [(String, [String])] = [
    (#"<p>Log in at <a href="https://evil.example/login">https://www.paypal.com</a> now</p>"#,
     ["anchor https://evil.example/login [https://www.paypal.com]"]),
    (#"<a href="/account/verify?id=1&amp;t=2">Verify</a>"#, ["anchor /account/verify?id=1&t=2 [Verify]"]),
    (#"<a href="javascript:alert(1)">x</a>"#, ["anchor javascript:alert(1) [x]"]),
    (#"<a href="data:text/html;base64,PHNjcmlwdD4=">open</a>"#, ["anchor data:text/html;base64,PHNjcmlwdD4= [open]"]),
    (#"<a href="mailto:help@bank.example?subject=Hi">Mail us</a>"#, ["anchor mailto:help@bank.example?subject=Hi [Mail us]"]),
    (#"<a href="&#104;ttp&#x3A;//ex&#46;com/&#x70;">go</a>"#, ["anchor http://ex.com/p [go]"]),
    (#"<a href="java&#10;script&colon;alert(1)">x</a>"#, ["anchor javascript:alert(1) [x]"]),
    ("<a href=\"https://exa\nmple.com/pa\r\nth\t\">nl</a>", ["anchor https://example.com/path [nl]"]),
    (#"<a href="  https://trim.example/  ">t</a>"#, ["anchor https://trim.example/ [t]"]),
    ("<a href=https://unquoted.example/a?b=c>u</a>", ["anchor https://unquoted.example/a?b=c [u]"]),
    ("<a href='https://single.example/'>s</a>", ["anchor https://single.example/ [s]"]),
    (#"<A HREF="https://Upper.Example/X">Up</A>"#, ["anchor https://Upper.Example/X [Up]"]),
    (#"<a href="https://first.example" HREF="https://second.example">dup</a>"#, ["anchor https://first.example [dup]"]),
    (#"<a href="https://q.example/?a=1&copy=2&amp;reg=3&lt">q</a>"#, ["anchor https://q.example/?a=1&copy=2&reg=3< [q]"]),
    ("<a href=u>Click <b>here</b>\n  now</a>", ["anchor u [Click here now]"]),
    ("<a href=u><div>Line1</div><div>Line2</div></a>", ["anchor u [Line1 Line2]"]),
    ("<a href=u>vis<span hidden>ible</span>ible</a>", ["anchor u [visible]"]),
    ("<a href=one>first <a href=two>second", ["anchor one [first]", "anchor two [second]"]),
    ("<a href=one>never closed", ["anchor one [never closed]"]),
    ("<a name=top>no href</a><a href=''>empty</a><a href='  '>blank</a>", []),
    (#"<a href="https://x.example"><img src="https://x.example/logo.png"></a>"#,
     ["anchor https://x.example []", "image https://x.example/logo.png []"]),
    (#"<map><area href="https://area.example/" shape=rect></map>"#, ["area https://area.example/ []"]),
    (#"<div style="display:none"><a href="https://hidden.example">secret</a></div>"#,
     ["anchor https://hidden.example [] hidden"]),
    (#"<a/href="https://slash.example">s</a>"#, ["anchor https://slash.example [s]"]),
]

extension HTMLTextExtractorTests {
    @Test("links with anchor text", arguments: linkCases)
    func links(html: String, expected: [String]) {
        #expect(extract(html).linkSummaries == expected)
    }

    @Test func anchorTextIsCappedOnACharacterBoundary() {
        var limits = HTMLLimits()
        limits.maxAnchorTextBytes = 6
        let result = extract("<a href=u>ab\u{E9}\u{E9}\u{E9}</a>", limits: limits)  // a b é(2) é(2) — é cut
        #expect(result.linkSummaries == ["anchor u [ab\u{E9}\u{E9}]"])
        limits.maxAnchorTextBytes = 5
        #expect(extract("<a href=u>ab\u{E9}\u{E9}\u{E9}</a>", limits: limits).linkSummaries == ["anchor u [ab\u{E9}]"])
    }

    @Test func longURLsAreTruncatedAndCounted() {
        var limits = HTMLLimits()
        limits.maxURLBytes = 10
        let result = extract("<a href='https://example.com/\u{E9}'>x</a><img src='https://\u{E9}\u{E9}'>", limits: limits)
        #expect(result.links.map(\.url) == ["https://ex", "https://\u{E9}"])
        #expect(result.stats.truncatedURLs == 2)
    }
}

private let formsHTML = """
    <form action="https://collector.example/steal" method=post>
      <input type=text name=user><input TYPE=" Password " name=pass>
      <input type=hidden name=t value=1><input>
    </form><form><input type=password></form>
    """

extension HTMLTextExtractorTests {
    @Test func formsAndPasswordInputs() {
        let result = extract(formsHTML)
        #expect(result.stats.forms == 2)
        #expect(result.stats.inputs == 5)
        #expect(result.stats.passwordInputs == 2)
        #expect(result.linkSummaries == ["form https://collector.example/steal []"])
    }
}

private let metaHTML = """
    <head><base href="https://cdn.example/"><meta http-equiv="Refresh" content="0; URL='https://evil.example/x'">
    <meta http-equiv=refresh content="5"><meta name=viewport content="width=device-width"></head>
    <meta http-equiv="refresh" content="3,https://other.example/">
    """

extension HTMLTextExtractorTests {
    @Test func metaRefreshAndBaseHref() {
        let result = extract(metaHTML)
        #expect(result.stats.metaRefresh)
        #expect(result.stats.baseHref)
        #expect(result.linkSummaries == ["meta https://evil.example/x []", "meta https://other.example/ []"])
        #expect(!extract("<meta name=refresh content='0;url=x'><base target=_blank>").stats.metaRefresh)
        #expect(!extract("<base target=_blank>").stats.baseHref)
    }
}

// MARK: - Hidden text

private let hidingMethods: [(String, String)] = [
    ("<div hidden>", "</div>"),
    ("<div HIDDEN=hidden>", "</div>"),
    (#"<div style="display:none">"#, "</div>"),
    (#"<div style="DISPLAY : NONE !important">"#, "</div>"),
    (#"<div style="color:red;display:/* x */none">"#, "</div>"),
    (#"<span style="visibility:hidden">"#, "</span>"),
    (#"<span style="font-size:0">"#, "</span>"),
    (#"<span style="font-size:0px">"#, "</span>"),
    (#"<span style="font-size: 0pt">"#, "</span>"),
    (#"<span style="font-size:0em">"#, "</span>"),
    (#"<span style="font-size:.5px">"#, "</span>"),
    (#"<span style="font:0/0 a">"#, "</span>"),
    (#"<span style="opacity:0">"#, "</span>"),
    (#"<span style="opacity: 0.0">"#, "</span>"),
    (#"<div style="max-height:0;overflow:hidden">"#, "</div>"),
    (#"<div style="height:0px; overflow-y: hidden">"#, "</div>"),
    (#"<div style="display&#58;none">"#, "</div>"),
    ("<template>", "</template>"),
    ("<p hidden>", ""),  // closed by the next block
]

extension HTMLTextExtractorTests {
    @Test("hidden text for each hiding method", arguments: hidingMethods)
    func hiddenText(open: String, close: String) {
        let result = extract("<p>Visible \(open)secret words\(close)<p>text")
        #expect(result.string == "Visible\ntext")
        #expect(result.stats.hiddenTextBytes == 11)
    }
}

private let notHidingStyles = [
    "display:none;display:block", "opacity:0.5", "height:0", "font-size:12px", "visibility:visible",
    "font:bold 12px/0 Arial", "display:none !imp", "color:white",
]

extension HTMLTextExtractorTests {
    @Test("styles that do not hide", arguments: notHidingStyles)
    func notHidden(style: String) {
        let result = extract("<p>Visible <span style=\"\(style)\">words</span> text")
        #expect(result.string == "Visible words text")
        #expect(result.stats.hiddenTextBytes == 0)
    }
}

private let nestedHiddenCases: [(String, String)] = [
    (#"<div style="display:none"><p>a<span>b</span></p>c</div>d"#, "d"),
    ("<div hidden><span>x</div>y", "y"),
    ("<div hidden><div>x</div>still hidden</div>shown", "shown"),
    ("<table><tr><td hidden>x<td>y</table>", "y"),
    ("<ul><li hidden>x<li>y</ul>", "y"),
    ("pass<span style='display:none'>XYZ</span>word", "password"),
    ("pass<div style='display:none'>XYZ</div>word", "password"),
    // A readable font size or visibility:visible below can show text again; display:none cannot.
    (#"<td style="font-size:0">gap <span style="font-size:14px">shown</span><b style="font-size:2em">no</b></td>"#, "shown"),
    (#"<div style="font-size:0"><font size="2">legacy size</font></div>"#, "legacy size"),
    (#"<div style="visibility:hidden">a<span style="visibility:visible">b</span>c</div>"#, "b"),
    (#"<div style="display:none">a<span style="visibility:visible;font-size:12px">b</span></div>c"#, "c"),
    (#"<div style="opacity:0"><p style="opacity:1">a</p></div>b"#, "b"),
    ("<!DOCTYPE html><p hidden>decoy<table><tr><td>shown</table>", "shown"),
]

extension HTMLTextExtractorTests {
    @Test("nested and misnested hidden elements", arguments: nestedHiddenCases)
    func nestedHidden(html: String, expected: String) {
        #expect(extract(html).string == expected)
    }
}

private let zeroWidthCases: [(String, Int)] = [
    ("pass\u{200B}word", 1),
    ("pass&#8203;word", 1),
    ("pa&zwj;ss&zwnj;wo&ZeroWidthSpace;rd", 3),
    ("pa&shy;ss\u{FEFF}wo\u{2060}r\u{00AD}d", 4),
    ("p\u{200C}a\u{200D}s\u{200E}s\u{200F}word&#x2060;&NoBreak;", 6),
]

extension HTMLTextExtractorTests {
    @Test("zero-width characters are removed and counted", arguments: zeroWidthCases)
    func zeroWidthCharacters(html: String, count: Int) {
        let result = extract(html)
        #expect(result.string == "password")
        #expect(result.stats.zeroWidthCharacters == count)
    }
}

private let pixelCases: [(String, Bool)] = [
    ("<img src=t width=1 height=1>", true),
    ("<img src=t width=\"0\">", true),
    ("<img src=t height=\"1px\">", true),
    ("<img src=t style=\"width:1px;height:1px\">", true),
    ("<img src=t style=\"height: 0\">", true),
    ("<img src=t style=\"display:none\">", true),
    ("<div hidden><img src=t></div>", true),
    ("<img src=t width=600 height=200>", false),
    ("<img src=t width=\"1%\">", false),
    ("<img src=t style=\"width:100%\">", false),
    ("<img src=t>", false),
]

extension HTMLTextExtractorTests {
    @Test("tracking pixels", arguments: pixelCases)
    func trackingPixels(html: String, isPixel: Bool) {
        let result = extract(html)
        #expect(result.stats.images == 1)
        #expect(result.stats.trackingPixels == (isPixel ? 1 : 0))
        #expect(result.links.map(\.url) == ["t"])
    }
}

private let countersHTML = """
    <html><head><style>a{}</style><script>1</script><script src=x></script></head>
    <body><iframe src=f></iframe><object data=o></object><embed src=e><applet code=a></applet>
    <!-- c1 --><!--c2--><?xml x?><!doctype html><![CDATA[x]]></body></html>
    """

extension HTMLTextExtractorTests {
    @Test func elementCounters() {
        let stats = extract(countersHTML).stats
        #expect(stats.styles == 1)
        #expect(stats.scripts == 2)
        #expect(stats.iframes == 1)
        #expect(stats.objects == 3)
        #expect(stats.comments == 4)
        #expect(stats.tags == 19)
    }
}

// MARK: - Malformed input

private let malformedCases: [(String, String)] = [
    ("a<!-- never closed <p>b", "a"),
    ("text<a href=\"https://x.example", "text"),
    ("text<a href=x", "text"),
    ("a<b", "a"),
    ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
    ("a <3 b <", "a <3 b <"),
    ("x </ y", "x"),
    ("stray > here", "stray > here"),
    ("a</>b", "ab"),
    ("a</p>b", "a\nb"),
    ("<!DOCTYPE html><p>x", "x"),
    ("<?xml version='1.0'?>x", "x"),
    ("<![CDATA[ a > b ]]>x", "x"),
    ("</ not a tag>x", "x"),
    ("<!-->x<!--->y", "xy"),
    ("<!-- a --!>b", "b"),
    ("<!>a<!x>b", "ab"),
    ("&", "&"),
    ("x&#", "x&#"),
    ("x&#x", "x&#x"),
    ("x&am", "x&am"),
    ("x&amp", "x&"),
    ("x&#65", "xA"),
    ("<div <p>x</div>", "x"),
    ("<p =a b=\"c\"d='e'f>x", "x"),
    ("<script>never closed <p>x", ""),
    ("<textarea>never </textare", "never </textare"),
    ("</div></span></table>text", "text"),
]

extension HTMLTextExtractorTests {
    @Test("malformed HTML", arguments: malformedCases)
    func malformed(html: String, expected: String) {
        #expect(extract(html).string == expected)
    }

    @Test func unterminatedCommentIsCounted() {
        #expect(extract("a<!-- never closed").stats.comments == 1)
        #expect(extract("a<!-").stats.comments == 1)
    }
}

private let deepNestingHTML =
    String(repeating: "<div>", count: 10_000) + "deep" + String(repeating: "</div>", count: 10_000) + "after"
private let hiddenPastCapHTML = String(repeating: "<div>", count: 300) + "<span hidden>secret</span>shown"
    + String(repeating: "</div>", count: 300) + "<p>end"

extension HTMLTextExtractorTests {
    @Test func deepNestingIsCapped() {
        let result = extract(deepNestingHTML)
        #expect(result.string == "deep\nafter")
        #expect(result.stats.nestingOverflows == 10_000 - 256)

        let hidden = extract(hiddenPastCapHTML)
        #expect(hidden.string == "shown\nend")
        #expect(hidden.stats.hiddenTextBytes == 6)
    }
}

private let oversizedTagHTML = "<p>before <a href=\"https://x.example\" title=\""
    + String(repeating: "a", count: 1 << 20) + " > still inside\">text</a> more <a href=y>ok</a>"

extension HTMLTextExtractorTests {
    @Test func oversizedTagIsSkippedAndCounted() {
        let result = extract(oversizedTagHTML)
        #expect(result.stats.oversizedTags == 1)
        #expect(result.string == "before text more ok")
        #expect(result.linkSummaries == ["anchor y [ok]"])
    }
}

private let manyLinksHTML = (0..<10_000).map { "<a href=\"https://l\($0).example/\">link \($0)</a>" }.joined()

extension HTMLTextExtractorTests {
    @Test func linksBeyondTheCapAreCounted() {
        let result = extract(manyLinksHTML)
        #expect(result.links.count == 500)
        #expect(result.stats.linksDropped == 9_500)
        #expect(result.links.last.map(summary) == "anchor https://l499.example/ [link 499]")
    }
}

private let manyAttributesHTML: String = {
    let attributes = (0..<100).map { "data-\($0)=x" }.joined(separator: " ")
    return "<div \(attributes) hidden>secret</div><a \(attributes) href=late>x</a>"
}()

extension HTMLTextExtractorTests {
    @Test func attributesBeyondTheCapAreCounted() {
        let result = extract(manyAttributesHTML)
        #expect(result.stats.attributesDropped == 74)
        #expect(result.string == "secret\nx")  // attributes past the cap are ignored
        #expect(result.links.isEmpty)
    }
}

// MARK: - Chunk independence

private let marketingEmail = """
    <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
    <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
    <title>Your March statement &amp; offers</title>
    <style type="text/css">body{margin:0} .x > td { padding: 0 } /* <p>not text</p> */</style>
    <!--[if mso]><style>.fallback{font-family:Arial}</style><![endif]-->
    </head><body style="margin:0;padding:0">
    <div style="display:none;max-height:0;overflow:hidden;mso-hide:all">Preheader: 50% off today only&nbsp;&zwnj;&nbsp;&zwnj;</div>
    <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
    <td align="center" style="padding:20px 0"><a href="https://click.mail.example/t?u=1&amp;id=abc" target="_blank"><img src="https://img.example/logo.png" width="200" height="50" alt="Logo" style="display:block"></a></td></tr>
    <tr><td style="font-family:Helvetica,Arial;font-size:16px;line-height:24px;color:#333">
    <h1 style="margin:0">Hi Jos&eacute;,</h1><p>Your statement is ready. Caf&eacute; credits: &euro;12.50 &mdash; don&rsquo;t miss it&hellip;</p>
    <p>Sign in to <a href="https://evil.example/login" style="color:#06c">https://www.bank.example</a> to review.<br>
    Questions? <a href="mailto:help@bank.example">Contact&nbsp;us</a>.</p>
    <ul><li>First&nbsp;item<li>Second item</ul>
    </td></tr></table>
    <img src="https://track.example/open.gif?u=1" width="1" height="1" border="0" alt="">
    <p style="font-size:11px">&copy; 2024 Bank &amp; Co. &bull; <a href="https://bank.example/unsubscribe?e=a%40b">Unsubscribe</a></p>
    </body></html>
    """

private let chunkFixtures: [HTMLTextExtractorTests.Fixture] = {
    var fixtures = [HTMLTextExtractorTests.Fixture(name: "marketing email", html: marketingEmail)]
    func add(_ prefix: String, _ documents: [String]) {
        for (k, html) in documents.enumerated() { fixtures.append(HTMLTextExtractorTests.Fixture(name: "\(prefix) \(k)", html: html)) }
    }
    add("visible", visibleTextCases.map(\.0))
    add("links", linkCases.map(\.0))
    add("hiding", hidingMethods.map { "<p>Visible \($0.0)secret words\($0.1)<p>text" })
    add("zero-width", zeroWidthCases.map(\.0))
    add("pixels", pixelCases.map(\.0))
    add("malformed", malformedCases.map(\.0))
    add("not hiding", notHidingStyles.map { "<p>Visible <span style=\"\($0)\">words</span> text" })
    add("nested hidden", nestedHiddenCases.map(\.0))
    add("counters", [formsHTML, metaHTML, countersHTML])
    add("limits", [deepNestingHTML, hiddenPastCapHTML, oversizedTagHTML, manyLinksHTML, manyAttributesHTML])
    add("split characters", [
        "\u{E9}\u{200B}\u{00A0}\u{3000}\u{FEFF}\u{1F600}x\u{2060}y\u{2019}z",
        "a\u{E2}\u{80}<b>\u{8B}</b>c",  // a zero-width space broken by a tag stays as bytes
        "ab\u{C2}",
        "\u{E2}\u{80}",
        "x\u{E2}&amp;\u{80}\u{8B}",
        "<a href=u>\u{00A0}\u{00A0}link\u{200B}text\u{00A0}</a>",
        "caf&eacute&#xe9;&#233;&Eacute;",
    ].map { String(decoding: Array($0.utf8), as: UTF8.self) })
    return fixtures
}()

extension HTMLTextExtractorTests {
    @Test("the same output however the input is chunked", arguments: chunkFixtures, [1, 2, 3, 7, 64])
    func chunkIndependence(fixture: Fixture, chunkSize: Int) {
        let whole = extract(fixture.html)
        let chunked = extract(fixture.html, chunkSize: chunkSize)
        #expect(chunked.string == whole.string)
        #expect(chunked.text == whole.text)
        #expect(chunked.links == whole.links)
        #expect(chunked.stats == whole.stats)
    }

    @Test func rawBytesSplitInsideCharacters() {
        // Byte sequences that are not valid UTF-8 on their own, split at every position.
        let documents: [[UInt8]] = [
            [0x61, 0xE2, 0x80, 0x8B, 0x62, 0xC2, 0xA0, 0x63, 0xEF, 0xBB, 0xBF, 0x64],
            [0x61, 0xE2, 0x80, 0x3C, 0x62, 0x3E, 0x8B, 0xC2, 0x20, 0xE2, 0x20, 0x80],
            [0xE2, 0x81, 0xA0, 0xE3, 0x80, 0x80, 0xC2, 0xAD, 0xE2, 0xE2, 0x80, 0x8B, 0xC2],
        ]
        for bytes in documents {
            let whole = extract(bytes)
            for size in 1...bytes.count {
                #expect(extract(bytes, chunkSize: size) == whole)
            }
        }
        #expect(extract(documents[0]).string == "ab cd")
    }

    @Test func marketingEmailExtraction() {
        let result = extract(marketingEmail)
        #expect(result.string == """
            Hi José,
            Your statement is ready. Café credits: €12.50 — don’t miss it…
            Sign in to https://www.bank.example to review.
            Questions? Contact us.
            First item
            Second item
            © 2024 Bank & Co. • Unsubscribe
            """)
        #expect(result.linkSummaries == [
            "anchor https://click.mail.example/t?u=1&id=abc []",
            "image https://img.example/logo.png []",
            "anchor https://evil.example/login [https://www.bank.example]",
            "anchor mailto:help@bank.example [Contact us]",
            "image https://track.example/open.gif?u=1 []",
            "anchor https://bank.example/unsubscribe?e=a%40b [Unsubscribe]",
        ])
        #expect(result.stats.trackingPixels == 1)
        #expect(result.stats.images == 2)
        #expect(result.stats.zeroWidthCharacters == 2)
        #expect(result.stats.comments == 1)
        #expect(result.stats.hiddenTextBytes == "Preheader:50%offtodayonly".utf8.count)
    }
}

// MARK: - Fuzz

/// Bytes HTML cares about, weighted towards syntax and the special UTF-8 lead bytes.
private let fuzzAlphabet: [UInt8] = Array("<<>>&&;#xX/!-=\"' \n\tpaAbrdivsctyle0123?[]".utf8)
    + [0x00, 0xC2, 0xA0, 0xAD, 0xE2, 0x80, 0x8B, 0x81, 0xE3, 0xEF, 0xBB, 0xBF, 0xFF, 0xC3, 0xA9]

private let fuzzFragments: [String] = [
    "<p>", "</p>", "<div style=\"display:none\">", "</div>", "<a href=\"https://x.example/?a=1&amp;b\">",
    "</a>", "<a href=y>", "<img src=t width=1>", "<br>", "text ", "more\u{200B}words", "&nbsp;", "&eacute;",
    "&#8203;", "&#x41;", "&am", "<!-- c -->", "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>",
    "<style>p{}</style>", "<title>t</title>", "<textarea>", "</textarea>", "<li>", "<td>", "<tr>",
    "<table>", "</table>", "<form action=f>", "<input type=password>", "<meta http-equiv=refresh content='0;url=m'>",
    "<base href=b>", "<span hidden>", "</span>", "<p hidden>", "<template>", "</template>", "<", ">", "&",
    "\"", "'", "=", "/", "<!DOCTYPE html>", "<?x?>", "</ x>", "\u{00A0}", "caf\u{E9}", "\u{1F600}",
    "<span style='font-size:0'>", "<span style=\"opacity:0;display:/**/none\">",
]

private func checkInvariants(_ result: HTMLExtraction, limits: HTMLLimits) {
    #expect(result.links.count <= max(0, limits.maxLinks))
    for link in result.links {
        #expect(link.url.utf8.count <= limits.maxURLBytes + 3 * link.url.unicodeScalars.count)
        #expect(link.anchorText.utf8.count <= limits.maxAnchorTextBytes * 3)
        #expect(link.kind == .anchor || link.anchorText.isEmpty)
    }
    #expect(result.text.first != 0x20 && result.text.first != 0x0A)
    #expect(result.text.last != 0x20 && result.text.last != 0x0A)
}

private func randomChunkedExtract(_ bytes: [UInt8], limits: HTMLLimits, random: inout SeededGenerator) -> HTMLExtraction {
    var extractor = HTMLTextExtractor(limits: limits)
    var text: [UInt8] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + 1 + random.below(16))
        bytes[start..<end].withUnsafeBytes { extractor.feed($0) }
        if random.below(3) == 0 { text += extractor.takeVisibleText() }
        start = end
    }
    extractor.finish()
    text += extractor.takeVisibleText()
    return HTMLExtraction(text: text, links: extractor.links, stats: extractor.stats)
}

private func fuzzLimits(_ random: inout SeededGenerator) -> HTMLLimits {
    var limits = HTMLLimits()
    if random.below(2) == 0 {
        limits.maxLinks = random.below(4)
        limits.maxTagBytes = random.below(64)
        limits.maxAnchorTextBytes = random.below(8)
        limits.maxURLBytes = random.below(12)
    }
    return limits
}

extension HTMLTextExtractorTests {
    @Test func fuzzRandomBytesNeverTrapAndIgnoreChunking() {
        var random = SeededGenerator(seed: 0x4741_4E4E_4554)
        for _ in 0..<3_000 {
            let count = random.below(400)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count)
            for _ in 0..<count {
                bytes.append(random.below(4) == 0 ? UInt8(truncatingIfNeeded: random.next()) : fuzzAlphabet[random.below(fuzzAlphabet.count)])
            }
            let limits = fuzzLimits(&random)
            let whole = extract(bytes, limits: limits)
            checkInvariants(whole, limits: limits)
            #expect(randomChunkedExtract(bytes, limits: limits, random: &random) == whole)
        }
    }

    @Test func fuzzSplicedFragmentsNeverTrapAndIgnoreChunking() {
        var random = SeededGenerator(seed: 0x0048_544D_4C21)
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + random.below(40)) {
                var fragment = Array(fuzzFragments[random.below(fuzzFragments.count)].utf8)
                if random.below(5) == 0 { fragment = Array(fragment.prefix(random.below(fragment.count + 1))) }
                bytes += fragment
            }
            let limits = fuzzLimits(&random)
            let whole = extract(bytes, limits: limits)
            checkInvariants(whole, limits: limits)
            #expect(randomChunkedExtract(bytes, limits: limits, random: &random) == whole)
        }
    }
}
