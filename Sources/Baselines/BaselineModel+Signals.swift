import Features

extension BaselineModel {
    /// The behavioural signals for a message about to be decided.
    public func signals(for message: BaselineQuery, in source: some BaselineRecordSource) -> BaselineSignals {
        let parties = parties(of: message)
        let now = message.at
        let halfLife = settings.halfLifeSeconds
        var signals = BaselineSignals()

        func fill(_ record: ActivityRecord?, known: Feature, age: Feature, messages: Feature, cleanShare: Feature) {
            guard let record else { return }
            if let first = record.firstCleanAt {
                signals[known] = 1
                signals[age] = Double(max(0, elapsedSeconds(from: first, to: now))) / 86_400
            }
            let clean = record.clean.value(at: now, halfLife: halfLife)
            let flagged = record.flagged.value(at: now, halfLife: halfLife)
            signals[messages] = clean
            signals[cleanShare] = clean + flagged > 0 ? clean / (clean + flagged) : 0
        }
        if !parties.sender.isEmpty {
            let sender = source.activity(BaselineKey(.sender, parties.sender))
            fill(sender, known: .senderKnown, age: .senderAgeDays, messages: .senderMessages, cleanShare: .senderCleanShare)
            if let sender, sender.firstCleanAt != nil { signals[.senderDistinctRecipients] = sender.recipients.estimate }
        }
        if !parties.domain.isEmpty {
            fill(source.activity(BaselineKey(.domain, parties.domain)), known: .domainKnown, age: .domainAgeDays, messages: .domainMessages, cleanShare: .domainCleanShare)
        }

        if !parties.recipients.isEmpty {
            var minimumPair = Double.infinity
            var firstContacts = 0.0
            var replies = 0.0
            var ours = 0.0
            var volume = 0.0
            var firstContactShare = 0.0
            var quarantineShare = 0.0
            for recipient in parties.recipients {
                let pair = parties.sender.isEmpty ? nil : source.pair(.pair(from: parties.sender, to: recipient))
                let pairMessages = pair?.messages.value(at: now, halfLife: halfLife) ?? 0
                minimumPair = min(minimumPair, pairMessages)
                if pair == nil { firstContacts += 1 }
                if !parties.sender.isEmpty, source.pair(.pair(from: recipient, to: parties.sender)) != nil { replies += 1 }
                guard isOurs(recipient: recipient) else { continue }
                ours += 1
                guard let record = source.recipient(BaselineKey(.recipient, recipient)) else { continue }
                let messages = record.messages.value(at: now, halfLife: halfLife)
                let external = record.external.value(at: now, halfLife: halfLife)
                volume += messages
                if external > 0 { firstContactShare += record.firstContact.value(at: now, halfLife: halfLife) / external }
                if messages > 0 { quarantineShare += record.quarantined.value(at: now, halfLife: halfLife) / messages }
            }
            let count = Double(parties.recipients.count)
            signals[.pairMinimumMessages] = minimumPair
            signals[.pairFirstContactShare] = firstContacts / count
            signals[.pairReplyShare] = replies / count
            if ours > 0 {
                signals[.recipientMessages] = volume / ours
                signals[.recipientFirstContactShare] = firstContactShare / ours
                signals[.recipientQuarantineShare] = quarantineShare / ours
            }
        }

        if !parties.displayName.isEmpty, let names = source.displayName(BaselineKey(.displayName, parties.displayName)), !names.uses.isEmpty {
            signals[.displayNameKnown] = 1
            if !names.hasUsed(parties.sender) { signals[.displayNameNewAddress] = 1 }
        }
        return signals
    }
}
