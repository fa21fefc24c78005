/// The rules Gannet runs when the configuration names no rules file. The same text ships as
/// etc/gannet/rules.gannet (a test keeps the two identical), as the starting point for a
/// site's own rules.
public enum StarterRules {
    public static let text = #"""
# Gannet starter rules. Each rule adds a named reason with a weight (log-odds) to the verdict,
# may name the attack category, and may force the decision. Syntax: `gannet check` validates
# this file; `gannet features --schema` lists every feature a rule can test.
#
# Lists from the configuration can be used by name: internal_domains, protected_domains,
# blocked_senders, blocked_domains, allowed_senders, allowed_domains.

# A protected person's name on mail from outside, or from a domain that imitates ours.
rule EXECUTIVE_IMPERSONATION
  when display_name_protected and (not from_internal_domain or from_domain_lookalike)
  then weight 4 category bec

# Someone asks for a payment or a bank-detail change from a domain that imitates ours or a
# free-mail address, or replies to somewhere other than where it came from.
rule PAYMENT_REQUEST_FROM_LOOKALIKE
  when (phrase_payment >= 1 or phrase_gift_card >= 1)
       and (from_domain_lookalike or from_freemail or from_reply_to_domain_mismatch)
  then weight 3 category bec

# A display name known from clean mail, from an address it never came from, to recipients this
# address never wrote to: the baselines' impersonation signal (0 while baselines are off).
rule KNOWN_NAME_NEW_ADDRESS
  when display_name_new_address > 0 and pair_first_contact_share >= 1
  then weight 3 category bec

# A link whose host imitates a protected or internal domain, in a message that talks about
# credentials or accounts.
rule CREDENTIAL_LINK_TO_LOOKALIKE
  when url_lookalike > 0 and (phrase_credentials > 0 or phrase_account_problem > 0 or url_credential_path > 0)
  then weight 4 category phishing

# Link text that shows one domain while the link goes to another.
rule DECEPTIVE_LINK_TEXT
  when url_anchor_mismatch > 0
  then weight 2 category phishing

# A brand's name in the display name of mail that is not from the brand.
rule BRAND_IMPERSONATION
  when display_name_brand and (phrase_credentials > 0 or phrase_account_problem > 0 or url_credential_path > 0)
  then weight 3 category phishing

# Programs, scripts and shortcuts are never business attachments.
rule DANGEROUS_ATTACHMENT
  when attachment_executable > 0 or attachment_shortcut > 0 or archive_with_executable > 0
  then weight 6 quarantine category malware

# Disguises: a document extension before a program's, or content that is not what it claims.
rule DISGUISED_ATTACHMENT
  when attachment_double_extension > 0 or attachment_type_mismatch > 0
  then weight 4 category malware

# Macro documents, disk images and HTML attachments carry most malware and local phishing pages.
rule RISKY_ATTACHMENT
  when attachment_macro_office > 0 or attachment_disk_image > 0 or attachment_html > 0 or archive_encrypted > 0
  then weight 2.5 category malware

# A password form inside the message itself.
rule PASSWORD_FORM
  when html_password_inputs > 0
  then weight 3 category phishing

# Authentication the receiving MTA checked and saw fail for the From domain.
rule DMARC_FAILURE
  when dmarc_fail
  then weight 2

# A sender or bounce domain with a machine-made name (letters and digits interleaved, long
# consonant runs): throwaway domains rotated to escape reputation.
rule THROWAWAY_SENDER_DOMAIN
  when sender_domain_generated
  then weight 1.5

# Replies diverted to another domain on mail to hidden recipients: the shape of advance-fee
# and business-email-compromise campaigns. Mailing lists set Reply-To too, but offer unsubscription.
rule HIDDEN_RECIPIENTS_REPLY_ELSEWHERE
  when from_reply_to_domain_mismatch and undisclosed_recipients and not list_unsubscribe
  then weight 1.5 category scam

# Extortion letters.
rule EXTORTION
  when phrase_extortion >= 2
  then weight 3 category scam

"""#
}
