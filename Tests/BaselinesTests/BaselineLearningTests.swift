import Baselines
import Features
import Testing

@Suite struct BaselineLearningTests {
    let vendor = "billing@supplier.example"
    let user = "alice@corp.example"

    @Test func aLongKnownSenderHasStanding() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        for week in 0..<26 { store.learnClean(message(from: vendor, to: [user], at: start + Int64(week) * 7 * day)) }
        let now = start + 26 * 7 * day
        let signals = store.signals(for: message(from: vendor, to: [user], at: now))
        #expect(signals[.senderKnown] == 1)
        #expect(abs(signals[.senderAgeDays] - 182) < 0.01)
        #expect(signals[.senderMessages] > 4)
        #expect(signals[.senderCleanShare] == 1)
        #expect(signals[.domainKnown] == 1)
        #expect(signals[.pairMinimumMessages] > 4)
        #expect(signals[.pairFirstContactShare] == 0)
        #expect(signals[.senderDistinctRecipients] > 0.5)
    }

    @Test func countsFadeWhenASenderFallsSilent() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        store.learnClean(message(from: vendor, to: [user], at: start))
        let later = store.signals(for: message(from: vendor, to: [user], at: start + 60 * day))
        #expect(abs(later[.senderMessages] - 0.25) < 1e-9)
        #expect(abs(later[.pairMinimumMessages] - 0.25) < 1e-9)
        // Age does not fade: it is a fact about the past.
        #expect(later[.senderAgeDays] == 60)
    }

    @Test(arguments: [1, 2])
    func aBurstOfMailCannotWarmUpASender(days: Int) {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        // A partner writing twice a week for half a year.
        let partner = "ap@partner.example"
        for index in 0..<52 { store.learnClean(message(from: partner, to: [user], at: start + Int64(index) * 7 * day / 2)) }
        // An attacker sends 1,000 clean-looking messages over one or two days just before.
        let attacker = "ap@partner-payments.example"
        let burstStart = start + 180 * day
        for index in 0..<1000 {
            let at = burstStart + Int64(index) * Int64(days) * day / 1000
            store.learnClean(message(from: attacker, to: [user, "bob@corp.example"], at: at))
        }
        let now = burstStart + Int64(days) * day
        let known = store.signals(for: message(from: partner, to: [user], at: now))
        let warmed = store.signals(for: message(from: attacker, to: [user], at: now))
        #expect(warmed[.senderMessages] <= Double(5 * days))
        #expect(warmed[.senderMessages] < known[.senderMessages])
        #expect(warmed[.senderAgeDays] < known[.senderAgeDays] / 50)
        #expect(warmed[.pairMinimumMessages] < known[.pairMinimumMessages])
        #expect(warmed[.domainMessages] < known[.domainMessages])
    }

    @Test func flaggedMailNeverAddsStanding() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        let spammer = "promo@spam.example"
        for index in 0..<100 { store.learnFlagged(message(from: spammer, name: "Chief Executive", to: [user], at: start + Int64(index) * 3600)) }
        let signals = store.signals(for: message(from: spammer, name: "Chief Executive", to: [user], at: start + 5 * day))
        #expect(signals[.senderKnown] == 0)
        #expect(signals[.senderMessages] == 0)
        #expect(signals[.senderCleanShare] == 0)
        #expect(signals[.pairFirstContactShare] == 1)
        #expect(signals[.displayNameKnown] == 0)
        #expect(signals[.recipientQuarantineShare] > 0.99)
    }

    @Test func forgedMailCannotSinkAPartnerOvernight() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        for index in 0..<40 { store.learnClean(message(from: vendor, to: [user], at: start + Int64(index) * 2 * day)) }
        let now = start + 80 * day
        for index in 0..<500 { store.learnFlagged(message(from: vendor, to: [user], at: now + Int64(index))) }
        let signals = store.signals(for: message(from: vendor, to: [user], at: now + day / 2))
        #expect(signals[.senderCleanShare] > 0.6)
    }

    @Test func aKnownNameFromANewAddressIsImpersonation() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        let ceo = "jane.doe@corp.example"
        for index in 0..<10 { store.learnClean(message(from: ceo, name: "Jane Doe", to: [user], at: start + Int64(index) * day)) }
        let now = start + 20 * day
        let genuine = store.signals(for: message(from: ceo, name: "\"Jane  DOE\"", to: [user], at: now))
        #expect(genuine[.displayNameKnown] == 1)
        #expect(genuine[.displayNameNewAddress] == 0)
        let forged = store.signals(for: message(from: "jane.doe.office@freemail.example", name: "Jane Doe", to: [user], at: now))
        #expect(forged[.displayNameKnown] == 1)
        #expect(forged[.displayNameNewAddress] == 1)
        #expect(forged[.senderKnown] == 0)
        let stranger = store.signals(for: message(from: "someone@else.example", name: "Someone Else", to: [user], at: now))
        #expect(stranger[.displayNameKnown] == 0)
        #expect(stranger[.displayNameNewAddress] == 0)
    }

    @Test func aDisplayNameRemembersABoundedNumberOfAddresses() {
        var tuned = settings()
        tuned.addressesPerDisplayName = 3
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: tuned))
        for index in 0..<10 { store.learnClean(message(from: "info\(index)@shop.example", name: "Customer Service", to: [user], at: start + Int64(index) * day)) }
        guard case .displayName(let record)? = store.record(BaselineKey(.displayName, "customer service")) else {
            Issue.record("no display-name record")
            return
        }
        #expect(record.uses.map(\.address) == ["info7@shop.example", "info8@shop.example", "info9@shop.example"])
    }

    @Test func outgoingMailTeachesWhoHasWrittenToWhom() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        // Alice writes to the vendor (outgoing mail through the milter), then it answers.
        store.learnClean(message(from: user, to: [vendor], at: start))
        let reply = store.signals(for: message(from: vendor, to: [user], at: start + day))
        #expect(reply[.pairReplyShare] == 1)
        #expect(reply[.pairFirstContactShare] == 1)
        let lookalike = store.signals(for: message(from: "billing@suppl1er.example", to: [user], at: start + day))
        #expect(lookalike[.pairReplyShare] == 0)
    }

    @Test func recipientsKeepTheirShareOfFirstContactAndQuarantine() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        // Four messages from one partner (one first contact), four from four strangers, two quarantined.
        for index in 0..<4 { store.learnClean(message(from: vendor, to: [user], at: start + Int64(index) * 60)) }
        for index in 0..<4 {
            let query = message(from: "x\(index)@stranger\(index).example", to: [user], at: start + 1000 + Int64(index) * 60)
            if index < 2 { store.learnFlagged(query) } else { store.learnClean(query) }
        }
        // Internal mail is not external, so not first contact.
        store.learnClean(message(from: "bob@corp.example", to: [user], at: start + 2000))
        let signals = store.signals(for: message(from: vendor, to: [user], at: start + 2000))
        #expect(abs(signals[.recipientMessages] - 9) < 0.01)
        #expect(abs(signals[.recipientFirstContactShare] - 5.0 / 8) < 0.01)
        #expect(abs(signals[.recipientQuarantineShare] - 2.0 / 9) < 0.01)
        // Recipients outside the internal domains get no recipient-level statistics.
        #expect(store.record(BaselineKey(.recipient, vendor)) == nil)
    }

    @Test func theFromAddressIsTheSenderAndTheEnvelopeStandsInWithoutIt() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        store.learnClean(message(from: "", to: [user], at: start, envelope: "<Bounce@List.Example>"))
        let signals = store.signals(for: message(from: "", to: [user], at: start + day, envelope: "bounce@list.example"))
        #expect(signals[.senderKnown] == 1)
        let fromKnown = store.signals(for: message(from: "other@list.example", to: [user], at: start + day, envelope: "bounce@list.example"))
        #expect(fromKnown[.senderKnown] == 0)
        #expect(fromKnown[.domainKnown] == 1)
    }

    @Test(arguments: ["", "<>", "@", "no-at-sign", "a@", "@b", " \t", "\u{0}@\u{0}", "名前@例え.テスト", String(repeating: "x", count: 10_000) + "@y.example"])
    func oddAddressesNeverTrap(address: String) {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        let query = message(from: address, name: address, to: [address, "", user], at: start, envelope: address)
        store.learnClean(query)
        store.learnFlagged(query)
        let signals = store.signals(for: query)
        #expect(signals.values.allSatisfy { $0.isFinite })
    }

    /// Hostile sizes cannot make huge keys: an over-long address is no address, and a long
    /// display name is cut.
    @Test func oversizedNamesMakeNoHugeKeys() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        let longAddress = String(repeating: "x", count: 300) + "@vendor.example"
        store.learnClean(message(from: longAddress, name: "Pat", to: [user], at: start, envelope: longAddress))
        #expect(store.recordCount == 1) // the recipient's record only
        let longName = String(repeating: "Pat Vendor ", count: 10_000)
        store.learnClean(message(from: vendor, name: longName, to: [user], at: start))
        let names = store.takeChanges().map(\.0).filter { $0.kind == .displayName }
        #expect(names.count == 1 && names.allSatisfy { $0.name.count <= 128 })
    }

    @Test func noRecipientsGivesZeroPairSignals() {
        let store = EmbeddedBaselineStore(model: BaselineModel(settings: settings()))
        let signals = store.signals(for: message(from: vendor, to: [], at: start))
        #expect(signals == BaselineSignals())
        #expect(signals[.baselinesAnswered] == 1)
        #expect(signals.values.filter { $0 != 0 }.count == 1)
    }
}
