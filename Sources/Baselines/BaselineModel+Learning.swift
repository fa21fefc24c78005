import Features

extension BaselineModel {
    /// The records a final verdict changes, with their new values. Only clean verdicts add
    /// standing (sender, domain, pair and display-name history), each capped per UTC day;
    /// flagged ones only count against the sender and domain. Recipients' own statistics
    /// count every decided message.
    public func lesson(from observation: BaselineObservation, in source: some BaselineRecordSource) -> [BaselineKey: BaselineRecord] {
        let message = observation.message
        let parties = parties(of: message)
        let now = message.at
        let halfLife = settings.halfLifeSeconds
        let clean = observation.outcome == .clean
        var changes: [BaselineKey: BaselineRecord] = [:]

        var senderCredited = false
        if !parties.sender.isEmpty {
            let key = BaselineKey(.sender, parties.sender)
            var record = source.activity(key) ?? ActivityRecord()
            senderCredited = credit(&record, clean: clean, at: now, limit: settings.senderDailyCredit, recipients: parties.recipients)
            if senderCredited { changes[key] = .activity(record) }
        }
        // A domain is credited only through a credited sender, so one sender's burst moves
        // its domain no more than the sender itself.
        if senderCredited, !parties.domain.isEmpty {
            let key = BaselineKey(.domain, parties.domain)
            var record = source.activity(key) ?? ActivityRecord()
            if credit(&record, clean: clean, at: now, limit: settings.domainDailyCredit, recipients: []) { changes[key] = .activity(record) }
        }

        let external = isExternal(domain: parties.domain)
        for recipient in parties.recipients {
            let pairKey = BaselineKey.pair(from: parties.sender, to: recipient)
            let existingPair = parties.sender.isEmpty ? nil : source.pair(pairKey)
            if clean, senderCredited {
                var pair = existingPair ?? PairRecord(firstAt: now)
                pair.messages.add(1, at: now, halfLife: halfLife)
                changes[pairKey] = .pair(pair)
            }
            guard isOurs(recipient: recipient) else { continue }
            let key = BaselineKey(.recipient, recipient)
            var record = source.recipient(key) ?? RecipientRecord()
            record.messages.add(1, at: now, halfLife: halfLife)
            if external {
                record.external.add(1, at: now, halfLife: halfLife)
                if existingPair == nil { record.firstContact.add(1, at: now, halfLife: halfLife) }
            }
            if !clean { record.quarantined.add(1, at: now, halfLife: halfLife) }
            changes[key] = .recipient(record)
        }

        if clean, senderCredited, !parties.displayName.isEmpty {
            let key = BaselineKey(.displayName, parties.displayName)
            var record = source.displayName(key) ?? DisplayNameRecord()
            record.record(parties.sender, at: now, keeping: settings.addressesPerDisplayName)
            changes[key] = .displayName(record)
        }
        return changes
    }

    /// Counts one decided message into a sender's or domain's record if its daily credit
    /// allows; false when it did not count.
    private func credit(_ record: inout ActivityRecord, clean: Bool, at now: Int64, limit: Int, recipients: [String]) -> Bool {
        let halfLife = settings.halfLifeSeconds
        if clean {
            guard record.cleanCredit.take(at: now, limit: limit) else { return false }
            record.firstCleanAt = min(record.firstCleanAt ?? now, now)
            record.clean.add(1, at: now, halfLife: halfLife)
            for recipient in recipients { record.recipients.insert(recipient) }
        } else {
            guard record.flaggedCredit.take(at: now, limit: limit) else { return false }
            record.flagged.add(1, at: now, halfLife: halfLife)
        }
        return true
    }
}
