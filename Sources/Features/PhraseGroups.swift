/// The phrase groups of the text features. Phrases are matched on whole words after
/// normalisation (lower case, punctuation and spacing folded), so "Verify your account!"
/// matches "verify your account".
enum PhraseGroups {
    static let features: [Feature] = [
        .phraseUrgency, .phraseCredentials, .phrasePayment, .phraseGiftCard, .phraseInvoice, .phraseExtortion,
        .phraseDelivery, .phrasePrize, .phraseAccountProblem, .phraseUnsubscribe,
    ]

    static let phrases: [[String]] = [
        // Urgency
        ["urgent", "urgently", "immediately", "immediate action", "action required", "within 24 hours", "within 48 hours",
         "as soon as possible", "final notice", "final warning", "last warning", "expires today", "will be closed",
         "will be suspended", "will be terminated", "will be deleted", "respond now", "act now", "time sensitive",
         "do it now", "right away", "before it is too late", "limited time", "today only", "failure to comply", "asap"],
        // Credentials
        ["verify your account", "verify your identity", "verify your email", "confirm your account", "confirm your identity",
         "confirm your password", "update your password", "reset your password", "password expires", "password will expire",
         "login to your account", "log in to your account", "sign in to your account", "sign in to view", "click here to login",
         "validate your account", "validate your mailbox", "re activate", "reactivate your account", "security verification",
         "enter your credentials", "your login details", "keep your password", "unlock your account", "restore access",
         "verify now", "login now", "sign in now", "update your information", "update your details", "confirm your details",
         "recovery phrase", "seed phrase", "secret phrase", "private key", "connect your wallet", "verify your wallet",
         "validate your wallet", "sync your wallet"],
        // Payment and wire transfer
        ["wire transfer", "bank transfer", "bank details", "bank account details", "banking details", "new bank account",
         "change of bank", "updated bank", "remittance", "routing number", "swift code", "iban", "payment details",
         "make a payment", "process a payment", "outstanding payment", "payment overdue", "overdue payment", "send the funds",
         "transfer the funds", "urgent payment", "vendor payment", "account number", "ach transfer", "wire the money"],
        // Gift cards
        ["gift card", "gift cards", "itunes card", "google play card", "steam card", "amazon card", "scratch the back",
         "send me the codes", "card codes", "ebay gift", "apple gift card", "vanilla card"],
        // Invoices
        ["invoice", "attached invoice", "see attached invoice", "invoice attached", "your invoice", "unpaid invoice",
         "overdue invoice", "purchase order", "proforma", "payment receipt", "statement of account", "billing statement",
         "remittance advice", "payment advice", "quotation"],
        // Extortion
        ["bitcoin", "btc wallet", "bitcoin address", "bitcoin wallet", "recorded you", "i recorded", "your webcam",
         "hacked your device", "hacked your account", "malware on your", "compromising video", "adult website",
         "your contacts will", "send to your contacts", "48 hours to pay", "do not contact the police", "i have access to your"],
        // Delivery notices
        ["your package", "your parcel", "delivery attempt", "failed delivery", "unable to deliver", "delivery failed",
         "shipment", "tracking number", "redelivery", "customs fee", "shipping fee", "pending delivery", "out for delivery",
         "schedule your delivery", "package is on hold"],
        // Prizes, lotteries, inheritance
        ["you have won", "you won", "winner", "congratulations you", "lottery", "jackpot", "claim your prize", "claim your reward",
         "inheritance", "next of kin", "beneficiary", "million dollars", "million usd", "compensation fund", "unclaimed funds",
         "free iphone", "selected to receive", "reward points"],
        // Account problems
        ["account suspended", "account has been suspended", "account will be suspended", "account has been locked",
         "account locked", "unusual activity", "unusual sign in", "suspicious activity", "unauthorized access",
         "mailbox is full", "mailbox full", "storage is full", "quota exceeded", "mailbox quota", "pending messages",
         "messages on hold", "undelivered messages", "account verification", "account has been limited", "limited access",
         "security alert", "billing problem", "payment declined", "payment failed", "subscription expired", "has expired"],
        // Unsubscribing, as the law asks bulk senders to offer it, in the languages most mail is in
        ["unsubscribe", "unsubscribed", "opt out", "opt-out", "email preferences", "manage preferences", "manage your subscription",
         "abbestellen", "abmelden", "abmeldung", "austragen", "désabonner", "desabonner", "désinscrire", "se désinscrire",
         "darse de baja", "darte de baja", "cancelar suscripción", "afmelden", "uitschrijven", "disiscriviti", "descadastrar",
         "descadastre", "cancelar inscrição", "avregistrera", "wypisz się", "odhlásit"],
    ]

    static let matcher = PhraseMatcher(groups: phrases)
}
