/// Results read from an Authentication-Results header (RFC 8601).
struct AuthenticationResults: Sendable, Equatable {
    let authservID: String
    /// Method (`spf`, `dkim`, `dmarc`, `arc`) → results in order.
    let results: [String: [String]]

    init?(_ value: String) {
        let unfolded = value.replacingAll("\n", with: " ")
        guard let semicolon = unfolded.firstIndex(of: ";") else { return nil }
        // The authserv-id may carry a version number after it.
        let id = unfolded[..<semicolon].split(separator: " ").first.map { $0.lowercased() } ?? ""
        guard !id.isEmpty else { return nil }
        authservID = id
        var results: [String: [String]] = [:]
        for clause in unfolded[unfolded.index(after: semicolon)...].split(separator: ";") {
            let words = clause.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = words.first, let equals = first.firstIndex(of: "=") else { continue }
            let method = first[..<equals].lowercased()
            let result = first[first.index(after: equals)...].lowercased()
            guard ["spf", "dkim", "dmarc", "arc"].contains(method) else { continue }
            results[method, default: []].append(result)
        }
        self.results = results
    }

    /// pass if any result passed; otherwise the first result given.
    func verdict(_ method: String) -> String? {
        guard let list = results[method], !list.isEmpty else { return nil }
        return list.contains("pass") ? "pass" : list[0]
    }
}
