import Features
import Testing

@Suite struct FeatureSchemaTests {
    @Test func namesAreUniqueSnakeCaseAndDocumented() {
        let names = FeatureSchema.definitions.map(\.name)
        #expect(Set(names).count == names.count)
        for definition in FeatureSchema.definitions {
            #expect(definition.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(definition.name)")
            #expect(!definition.summary.isEmpty)
        }
        #expect(FeatureSchema.definition(named: "url_ip_host")?.feature == .urlIPHost)
        #expect(FeatureSchema.definition(named: "from_reply_to_domain_mismatch")?.group == .header)
        #expect(FeatureSchema.definition(named: "archive_with_executable")?.cost == .full)
    }

    @Test func theDigestIsStableHex() {
        #expect(FeatureSchema.digest.count == 16)
        let isHex = FeatureSchema.digest.allSatisfy { $0.isHexDigit }
        #expect(isHex)
    }

    @Test func everyGroupHasFeatures() {
        for group in FeatureGroup.allCases {
            #expect(FeatureSchema.definitions.contains { $0.group == group }, "\(group)")
        }
    }
}
