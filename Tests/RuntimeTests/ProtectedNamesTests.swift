import Foundation
import Runtime
import Testing

/// VIPs from the company directory: CSV or LDIF exports become the names Gannet protects.
@Suite struct ProtectedNamesTests {
    @Test func csvExportsGiveTheirNameColumnOrFirstAndLastNames() throws {
        #expect(try ProtectedNames.fromCSV("Name,Email\nJane Doe,jane@corp.example\n\"Smith, John\",john@corp.example\nJane Doe,other@corp.example\n")
                == ["Jane Doe", "Smith, John"])
        #expect(try ProtectedNames.fromCSV("First Name;Last Name;Title\r\nJane;Doe;CEO\r\nJohn;Smith;CFO\r\n") == ["Jane Doe", "John Smith"])
        #expect(try ProtectedNames.fromCSV("mail,title,cn\njane@corp.example,CEO,Jane Doe\n", column: "cn") == ["Jane Doe"])
        #expect(throws: ProtectedNames.Failure.self) { try ProtectedNames.fromCSV("mail,title\njane@corp.example,CEO\n") }
    }

    @Test func ldifEntriesGiveTheirDisplayNameElseTheirCommonName() {
        let ldif = """
            dn: cn=Jane Doe,ou=people,dc=corp,dc=example
            cn: Jane Doe
            displayName: Jane Doe (CEO)

            # a comment
            dn: cn=Zoë Müller,ou=people,dc=corp,dc=example
            cn:: \(Data("Zoë Müller".utf8).base64EncodedString())
            mail: zoe@corp.example

            dn: cn=Finance Team,ou=groups,dc=corp,dc=example
            cn: Finance
              Team
            """
        #expect(ProtectedNames.fromLDIF(ldif) == ["Jane Doe (CEO)", "Zoë Müller", "Finance Team"])
    }

    @Test func theNamesFileAddsToTheConfiguredNames() throws {
        let path = NSTemporaryDirectory() + "gannet-vips-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# from the directory\nJane Doe\n\n  John Smith  \n".write(toFile: path, atomically: true, encoding: .utf8)
        let config = try GannetConfig.parse("[detection]\nprotected_names = [\"Ada King\"]\nprotected_names_file = \"\(path)\"\n", file: "t.toml")
        #expect(config.features.protectedNames.count == 3)
        #expect(throws: ConfigError.self) { try GannetConfig.parse("[detection]\nprotected_names_file = \"vips.txt\"\n", file: "t.toml") }
        #expect(throws: ConfigError.self) { try GannetConfig.parse("[detection]\nprotected_names_file = \"/nonexistent/vips.txt\"\n", file: "t.toml") }
    }
}
