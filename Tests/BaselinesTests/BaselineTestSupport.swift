import Baselines

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
