import MailParsing

/// Built-in domain knowledge. Lists are deliberately short and conservative: each entry is a
/// well-known case, not an attempt at completeness.
public enum KnownDomains {
    /// Brands most impersonated in credential phishing, with the domains they mail from.
    public static let defaultBrands: [String: [String]] = [
        "paypal": ["paypal.com", "paypal.de", "paypal.co.uk"],
        "microsoft": ["microsoft.com", "office.com", "office365.com", "outlook.com", "live.com", "microsoftonline.com", "sharepoint.com", "onmicrosoft.com"],
        "office 365": ["microsoft.com", "office.com", "office365.com", "microsoftonline.com"],
        "outlook": ["outlook.com", "microsoft.com", "live.com"],
        "apple": ["apple.com", "icloud.com", "me.com"],
        "icloud": ["icloud.com", "apple.com"],
        "amazon": ["amazon.com", "amazon.co.uk", "amazon.de", "amazon.fr", "amazon.ca", "amazonses.com", "amazon.es", "amazon.it"],
        "netflix": ["netflix.com"],
        "docusign": ["docusign.com", "docusign.net"],
        "dhl": ["dhl.com", "dhl.de"],
        "fedex": ["fedex.com"],
        "ups": ["ups.com"],
        "usps": ["usps.com", "usps.gov"],
        "wells fargo": ["wellsfargo.com"],
        "chase": ["chase.com", "jpmorgan.com"],
        "bank of america": ["bankofamerica.com", "bofa.com"],
        "american express": ["americanexpress.com", "aexp.com"],
        "google": ["google.com", "gmail.com", "accounts.google.com"],
        "facebook": ["facebook.com", "facebookmail.com", "meta.com"],
        "instagram": ["instagram.com", "mail.instagram.com"],
        "linkedin": ["linkedin.com"],
        "dropbox": ["dropbox.com", "dropboxmail.com"],
        "adobe": ["adobe.com"],
        "wetransfer": ["wetransfer.com"],
        "coinbase": ["coinbase.com"],
        "binance": ["binance.com"],
        "metamask": ["metamask.io"],
        "att": ["att.com", "att.net"],
        "verizon": ["verizon.com"],
        "norton": ["norton.com", "nortonlifelock.com"],
        "mcafee": ["mcafee.com"],
        "geek squad": ["geeksquad.com", "bestbuy.com"],
        "irs": ["irs.gov"],
        "steam": ["steampowered.com", "steamcommunity.com"],
        "walmart": ["walmart.com"],
        "costco": ["costco.com"],
        "ebay": ["ebay.com", "ebay.co.uk", "ebay.de"],
    ]

    public static let freemail: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.com", "gmx.de",
        "gmx.net", "web.de", "mail.com", "mail.ru", "yandex.ru", "yandex.com", "protonmail.com", "proton.me", "zoho.com",
        "qq.com", "163.com", "126.com", "sina.com", "rediffmail.com", "libero.it", "orange.fr", "laposte.net", "t-online.de",
        "comcast.net", "verizon.net", "att.net", "btinternet.com", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "tutanota.com",
    ]

    public static let shorteners: Set<String> = [
        "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at",
        "rb.gy", "t.ly", "tiny.cc", "s.id", "lnkd.in", "soo.gd", "clck.ru", "v.gd", "bl.ink", "short.io", "qrco.de", "urlz.fr",
    ]

    /// Registrable domains of email service providers: the bounce, signing, click-tracking and
    /// unsubscribe domains they use when they send for their customers. Mail through one of
    /// them is not therefore clean (attackers rent them too), but its links to them are the
    /// sender's own infrastructure, not a third party's.
    public static let emailServiceProviders: Set<String> = [
        "mcsv.net", "mcdlv.net", "rsgsv.net", "mailchimpapp.net", "list-manage.com", "mailchi.mp", "mandrillapp.com", "mailchimp.com",
        "sendgrid.net", "sendgrid.com", "amazonses.com", "mailgun.org", "mailgun.net", "sparkpostmail.com", "sparkpost.com",
        "klaviyomail.com", "klaviyo.com", "kmail-lists.com", "klclick.com", "klclick1.com", "klclick2.com", "klclick3.com",
        "sendinblue.com", "brevo.com", "brevo.net", "sendibt2.com", "sendibt3.com", "sendibm1.com", "exacttarget.com", "exct.net",
        "createsend.com", "createsend1.com", "cmail1.com", "cmail2.com", "cmail19.com", "cmail20.com", "cleverreach.com", "crsend.com",
        "inxserver.com", "inxmail.com", "srv2.de", "constantcontact.com", "rs6.net", "ccsend.com", "hubspotemail.net", "hubspotlinks.com",
        "hubspot.com", "mailjet.com", "mjt.lu", "postmarkapp.com", "mtasv.net", "pstmrk.it", "customeriomail.com", "customer.io",
        "iterable.com", "mktomail.com", "mktoweb.com", "pardot.com", "responsys.net", "emarsys.net", "sailthru.com",
        "convertkit.com", "convertkit-mail.com", "convertkit-mail2.com", "convertkit-mail3.com", "convertkit-mail4.com", "ck.page",
        "mailerlite.com", "mlsend.com", "mlsend2.com", "activecampaign.com", "activehosted.com", "aweber.com", "getresponse.com",
        "substack.com", "beehiiv.com", "newsletter2go.com", "rapidmail.de", "mailpoet.com", "salesforce.com", "zohocampaigns.com",
    ]

    /// Top-level domains whose registrations are dominated by abuse.
    public static let suspiciousTLDs: Set<String> = [
        "zip", "mov", "top", "xyz", "click", "link", "buzz", "rest", "cfd", "sbs", "cyou", "icu", "monster", "quest", "gq", "ml",
        "cf", "tk", "ga", "work", "live", "shop", "online", "site", "support", "country", "kim", "loan", "win", "bid", "date",
    ]

    /// Free page, form and file hosting that phishing kits favour.
    public static let freeHostingSuffixes: Set<String> = [
        "web.app", "firebaseapp.com", "pages.dev", "workers.dev", "netlify.app", "vercel.app", "github.io", "glitch.me",
        "herokuapp.com", "blogspot.com", "weebly.com", "wixsite.com", "square.site", "godaddysites.com", "webflow.io",
        "sites.google.com", "forms.gle", "docs.google.com", "storage.googleapis.com", "ipfs.io", "dweb.link", "r2.dev",
        "000webhostapp.com", "myshopify.com", "jotform.com", "forms.office.com", "sharepoint.com", "onedrive.live.com",
        "1drv.ms", "dropbox.com", "wetransfer.com", "notion.site", "typeform.com", "mailchimpsites.com", "azurewebsites.net",
        "blob.core.windows.net", "amazonaws.com", "cloudfront.net", "ngrok.io", "ngrok-free.app", "trycloudflare.com",
    ]

    /// Second-level public suffixes common enough to matter when finding a registrable domain.
    static let multiLabelSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "com.au", "net.au", "org.au", "edu.au", "gov.au",
        "co.nz", "org.nz", "co.jp", "ne.jp", "or.jp", "com.br", "net.br", "org.br", "com.cn", "net.cn", "org.cn", "com.mx",
        "com.ar", "com.tr", "com.tw", "com.hk", "com.sg", "com.my", "co.in", "net.in", "org.in", "co.za", "co.kr", "or.kr",
        "com.pl", "com.ua", "com.ru", "co.il", "com.co", "com.pe", "com.ve", "com.vn", "com.ph", "com.pk", "com.ng", "com.eg",
        "com.sa", "co.id", "co.th", "in.th", "gov.br", "gov.in", "gc.ca", "qc.ca",
    ]

    /// X-Mailer / User-Agent fragments of script libraries and bulk tools.
    static let scriptedMailers: [String] = [
        "phpmailer", "swiftmailer", "python", "curl", "perl", "java", "nodemailer", "postman", "powershell", "sendblaster",
        "atomic mail", "mailer daemon", "smtp.js", "go-mail", "mailgun", "the bat", "emkei", "leaf", "php/",
    ]
}

extension KnownDomains {
    /// True when the host is one of `suffixes` or a subdomain of one: checks each of the
    /// host's own suffixes against the set, instead of each entry against the host.
    static func host(_ host: String, isUnder suffixes: Set<String>) -> Bool {
        var host = host
        // In ASCII the suffixes start after "." bytes: no walk character by character.
        let ascii = host.withUTF8 { bytes -> Bool? in
            guard bytes.endOfASCII(from: 0) == bytes.count else { return nil }
            var start = 0
            while true {
                if suffixes.contains(String(decoding: bytes[start...], as: UTF8.self)) { return true }
                guard let dot = bytes.firstIndex(of: 46, from: start) else { return false }
                start = dot + 1
            }
        }
        if let ascii { return ascii }
        var rest = Substring(host)
        while true {
            if suffixes.contains(String(rest)) { return true }
            guard let dot = rest.firstIndex(of: ".") else { return false }
            rest = rest[rest.index(after: dot)...]
        }
    }
}
