import Runtime
import Testing

@Suite struct TOMLParserTests {
    @Test func parsesTheValuesGannetUses() throws {
        let table = try TOMLParser.parse("""
            # comment
            top = "value" # trailing comment
            [section]
            integer = 1_000
            hex = 0xff
            negative = -5
            float = 2.5e-3
            yes = true
            no = false
            literal = 'C:\\path'
            escaped = "tab\\tquote\\" \\u00e9"
            list = [
              "a", # inside
              "b",
            ]
            inline = { x = 1, y = "z" }
            dotted.key = 3
            multi = \"\"\"
            line one
            line two\"\"\"
            [[rule]]
            name = "first"
            [[rule]]
            name = "second"
            """)
        #expect(table["top"]?.value == .string("value"))
        guard case .table(let section)? = table["section"]?.value else { Issue.record("no section"); return }
        #expect(section["integer"]?.value == .integer(1000))
        #expect(section["hex"]?.value == .integer(255))
        #expect(section["negative"]?.value == .integer(-5))
        #expect(section["float"]?.value == .float(0.0025))
        #expect(section["yes"]?.value == .bool(true))
        #expect(section["no"]?.value == .bool(false))
        #expect(section["literal"]?.value == .string("C:\\path"))
        #expect(section["escaped"]?.value == .string("tab\tquote\" é"))
        #expect(section["list"]?.value == .array([.string("a"), .string("b")]))
        #expect(section["list"]?.position.line == 12)
        #expect(section["multi"]?.value == .string("line one\nline two"))
        guard case .table(let dotted)? = section["dotted"]?.value else { Issue.record("no dotted table"); return }
        #expect(dotted["key"]?.value == .integer(3))
        guard case .array(let rules)? = table["rule"]?.value else { Issue.record("no array of tables"); return }
        #expect(rules.count == 2)
    }

    @Test(arguments: [
        ("key = ", 1, "expected a value"),
        ("key = \"open", 1, "not closed"),
        ("key = 1\nkey = 2", 2, "already defined at line 1"),
        ("[a]\n[a]", 2, "defined twice"),
        ("key = bare", 1, "strings need quotes"),
        ("key = 1979-05-27", 1, "dates and times"),
        ("key = [1, 2", 1, "not closed"),
        ("a = 1\na.b = 2", 2, "not a table"),
        ("key = \"bad \\q escape\"", 1, "unknown escape"),
        ("= 1", 1, "expected a key"),
        ("key = 1 2", 1, "expected end of line"),
    ])
    func syntaxErrorsNameTheLine(text: String, line: Int, fragment: String) {
        do {
            _ = try TOMLParser.parse(text)
            Issue.record("parsed invalid TOML: \(text)")
        } catch {
            #expect(error.position.line == line)
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    /// A hostile or broken file cannot exhaust the stack: nesting is limited with a clear error.
    @Test(arguments: ["arrays", "inline tables", "a dotted key", "a table header"])
    func deepNestingIsRefused(kind: String) {
        let deep = 100_000
        let dotted = Array(repeating: "a", count: deep).joined(separator: ".")
        let (text, fragment) = switch kind {
        case "arrays": ("key = " + String(repeating: "[", count: deep), "nested more than 32 deep")
        case "inline tables": ("key = " + String(repeating: "{a = ", count: deep), "nested more than 32 deep")
        case "a dotted key": (dotted + " = 1", "more than 32 parts")
        default: ("[" + dotted + "]", "more than 32 parts")
        }
        do {
            _ = try TOMLParser.parse(text)
            Issue.record("parsed \(kind) nested without limit")
        } catch {
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = 32
        let table = try TOMLParser.parse("key = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(table.entries["key"] != nil)
    }
}
