import Detection
import Features
import MailParsing

extension BaselineQuery {
    /// Who writes to whom in a message as the milter received it: the envelope, and From's
    /// address and decoded display name. The name is cut to 512 characters (baselines keep
    /// 128), so queued lessons stay small whatever a header carries.
    public init(evidence: MessageEvidence, from: Mailbox?, at: Int64) {
        self.init(envelopeSender: evidence.envelopeSender?.description ?? "",
                  fromAddress: evidence.headerFrom?.description ?? "",
                  fromDisplayName: String((from?.displayName ?? "").prefix(512)),
                  recipients: evidence.recipients.map(\.description), at: at)
    }
}

extension MessageEvidence {
    /// Whether this message may teach the baselines. Mail in an internal sender's name is
    /// believed only when it came through an originating service (SMTP AUTH, or a Postfix
    /// service whose milter_macro_daemon_name is listed): otherwise anyone could forge a
    /// colleague's mail to an attacker's address and make the attacker's next mail a "reply".
    public func mayTeachBaselines(originating: Bool, internalDomains: Set<String>) -> Bool {
        originating || ![headerFrom, envelopeSender].contains { sender in
            sender.map { internalDomains.contains(DomainNames.registrableDomain($0.domain)) } ?? false
        }
    }
}
