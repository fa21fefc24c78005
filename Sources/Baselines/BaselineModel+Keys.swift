import Features

extension BaselineModel {
    /// Every record `signals(for:in:)` and `lesson(from:in:)` may read for this message: what
    /// a remote store fetches in one round trip.
    public func keys(for message: BaselineQuery) -> [BaselineKey] {
        let parties = parties(of: message)
        var keys: [BaselineKey] = []
        if !parties.sender.isEmpty { keys.append(BaselineKey(.sender, parties.sender)) }
        if !parties.domain.isEmpty { keys.append(BaselineKey(.domain, parties.domain)) }
        if !parties.displayName.isEmpty { keys.append(BaselineKey(.displayName, parties.displayName)) }
        for recipient in parties.recipients {
            if !parties.sender.isEmpty {
                keys.append(.pair(from: parties.sender, to: recipient))
                keys.append(.pair(from: recipient, to: parties.sender))
            }
            if isOurs(recipient: recipient) { keys.append(BaselineKey(.recipient, recipient)) }
        }
        return keys
    }
}
