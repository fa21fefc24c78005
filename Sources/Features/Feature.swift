/// Every dense feature Gannet extracts, in schema order. Models are bound to this order
/// through `FeatureSchema.digest`: adding, removing or reordering a case changes the digest.
public enum Feature: Int, CaseIterable, Sendable {
    // Sender and header anomalies
    case fromReplyToDomainMismatch, fromReturnPathDomainMismatch, fromEnvelopeDomainMismatch
    case displayNameHasAddress, displayNameAddressMismatch, displayNameProtected, displayNameBrand, displayNameNamesSender
    case fromDomainLookalike, fromFreemail, fromInternalDomain, fromMissing, senderDomainGenerated
    case messageIDMissing, messageIDDomainMismatch
    case dateMissing, dateInvalid, dateFuture
    case receivedHops, mailerPresent, mailerScripted
    case subjectEncoded, subjectUppercaseRatio, fakeReply, recipientsCount, undisclosedRecipients
    case rawEightBitHeaders, listUnsubscribe, bulkPrecedence, listUnsubscribeOneClick, senderESP
    // Authentication
    case authResultsTrusted, spfPass, spfFail, spfSoftfail, dkimPass, dkimFail, dmarcPass, dmarcFail, arcFail
    case dkimSignaturePresent, dkimAligned, bounceAligned, unsubscribeAligned
    // URLs
    case urlCount, urlDistinctDomains, urlIPHost, urlPunycode, urlLookalike, urlShortener, urlAnchorMismatch
    case urlCredentialPath, urlDataScheme, urlJavascriptScheme, urlRedirectParameter, urlUserInfo, urlNonstandardPort
    case urlLong, urlSuspiciousTLD, urlFreeHosting, urlFromDomainShare, urlSenderAlignedShare, urlUnsubscribe
    // Text
    case phraseUrgency, phraseCredentials, phrasePayment, phraseGiftCard, phraseInvoice, phraseExtortion
    case phraseDelivery, phrasePrize, phraseAccountProblem, phraseUnsubscribe
    case textBytes, textUppercaseRatio, textDigitRatio
    // Attachments
    case attachmentCount, attachmentExecutable, attachmentMacroOffice, attachmentHTML, attachmentDiskImage
    case attachmentDoubleExtension, attachmentTypeMismatch, attachmentShortcut, attachmentPDF
    case archiveWithExecutable, archiveEncrypted
    // Structure
    case sizeBytes, partCount, htmlOnly, textHTMLAgreement, hiddenTextRatio, trackingPixels
    case htmlForms, htmlPasswordInputs, htmlScripts, htmlIframes, zeroWidthCharacters, metaRefresh
    case nulBytes, charsetReplacements, transferDecodeErrors, parserLimitsHit, mimeAnomalies, bodyCut
    // Behaviour: filled from the baselines store, not from the message's bytes
    case senderKnown, senderAgeDays, senderMessages, senderCleanShare, senderDistinctRecipients
    case domainKnown, domainAgeDays, domainMessages, domainCleanShare
    case pairMinimumMessages, pairFirstContactShare, pairReplyShare
    case recipientMessages, recipientFirstContactShare, recipientQuarantineShare
    case displayNameKnown, displayNameNewAddress
    case baselinesAnswered, storeFallback
}

extension Feature {
    /// The behaviour block, in schema order: what a baselines store answers for a message.
    public static let behaviour: [Feature] = allCases.filter { $0.description.0 == .behaviour }
}
