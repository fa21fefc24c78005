import Runtime
import Testing

@Suite struct HoldBudgetTests {
    @Test func ratesReadPerWeekOrPerDay() {
        #expect(HoldBudget.perWeek("5/week") == 5 && HoldBudget.perWeek("2/day") == 14 && HoldBudget.perWeek("20000/w") == 20_000)
        for bad in ["5", "five/week", "5/month", "-1/week", "nan/week", ""] { #expect(HoldBudget.perWeek(bad) == nil, "\(bad)") }
    }

    @Test func aBudgetIsTheShareOfTheSitesLegitimateMail() {
        let budget = HoldBudget(heldPerWeek: 5, legitimatePerWeek: 20_000)
        #expect(budget.falsePositiveRate == 0.00025)
        #expect(budget.held(atFalsePositiveRate: 0.001) == 20)
    }

    /// The site's volume from the decision log: accepted messages over the span they cover.
    @Test func theDecisionLogGivesTheVolumeWhenItCoversADay() {
        let day = 86_400.0
        let decisions = (0..<300).map { (at: Double($0) * 2 * day / 300, accepted: $0 % 3 != 0) }
        let perWeek = HoldBudget.legitimatePerWeek(decisions: decisions)
        #expect(perWeek.map { abs($0 - 200.0 / (299.0 * 2 / 300) * 7) < 0.001 } == true, "\(String(describing: perWeek))")
        #expect(HoldBudget.legitimatePerWeek(decisions: [(at: 0, accepted: true), (at: 3_600, accepted: true)]) == nil)
    }

    @Test func theDeploySectionTakesABudgetAndAVolume() throws {
        let config = try GannetConfig.parse("[deploy]\nhold_budget = \"1/day\"\nsite_volume = \"3000/day\"\n", file: "t.toml")
        #expect(config.deploy.holdBudgetPerWeek == 7 && config.deploy.siteVolumePerWeek == 21_000)
        #expect(throws: ConfigError.self) { try GannetConfig.parse("[deploy]\nhold_budget = \"5/month\"\n", file: "t.toml") }
    }
}
