import Baselines
import Features

let day: Int64 = 86_400
/// 2026-01-01T00:00:00Z, so day boundaries fall on multiples of `day`.
let start: Int64 = 1_767_225_600

func message(from address: String, name: String = "", to recipients: [String], at time: Int64, envelope: String? = nil) -> BaselineQuery {
    BaselineQuery(envelopeSender: envelope ?? address, fromAddress: address, fromDisplayName: name, recipients: recipients, at: time)
}

extension BaselineStore {
    func learnClean(_ query: BaselineQuery) {
        learn(BaselineObservation(message: query, outcome: .clean))
    }

    func learnFlagged(_ query: BaselineQuery) {
        learn(BaselineObservation(message: query, outcome: .flagged))
    }
}

func settings(internal domains: Set<String> = ["corp.example"]) -> BaselineSettings {
    var settings = BaselineSettings()
    settings.internalDomains = domains
    return settings
}

/// A year of mail to four users from twenty partners (each with its own domain and display
/// name) every ten days; `silentPartners` of them stop after the first month.
func learnYearWithSilentPartners(into store: some BaselineStore) {
    for index in 0..<730 {
        let at = start + Int64(index) * day / 2
        let partner = index % 20
        if partner < silentPartners, at > start + 30 * day { continue }
        store.learnClean(message(from: partnerAddress(partner), name: "Partner \(partner)", to: ["user\(index % 4)@corp.example"], at: at))
    }
}

let silentPartners = 10

func partnerAddress(_ partner: Int) -> String {
    "p\(partner)@vendor\(partner).example"
}
