import MailParsing

/// File-name knowledge for attachment features.
enum AttachmentNames {
    static let executable: Set<String> = [
        "exe", "scr", "com", "pif", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "msi", "msp",
        "jar", "dll", "cpl", "reg", "sct", "application", "appref-ms", "gadget", "inf", "scf", "apk", "app", "sh", "py", "elf",
    ]
    static let macroOffice: Set<String> = ["docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "ppsm", "sldm", "xlsb"]
    static let legacyOffice: Set<String> = ["doc", "dot", "xls", "xlt", "ppt", "pps", "pot"]
    static let diskImage: Set<String> = ["iso", "img", "vhd", "vhdx", "dmg", "udf"]
    static let documentLike: Set<String> = ["pdf", "doc", "docx", "xls", "xlsx", "txt", "jpg", "jpeg", "png", "rtf", "csv", "ppt", "pptx", "html", "htm", "zip"]

    static func extensionOf(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return String(name[name.index(after: dot)...]).trimmingCharacters(in: " \t\"'")
    }

    /// `invoice.pdf.exe`, `scan.pdf   .js`: a harmless-looking extension before a dangerous one.
    static func hasDoubleExtension(_ name: String) -> Bool {
        let pieces = name.split(separator: ".")
        guard pieces.count >= 3 else { return false }
        let last = String(pieces[pieces.count - 1]).trimmingCharacters(in: " \t")
        let previous = String(pieces[pieces.count - 2]).trimmingCharacters(in: " \t")
        return (executable.contains(last) || diskImage.contains(last) || last == "lnk") && documentLike.contains(previous)
    }

    /// The content is something else than the name or the declared type says, in a way that
    /// matters: a program or page dressed as a document, an archive named as something else.
    static func contradicts(sniffed: SniffedType, extension ext: String, contentType: String) -> Bool {
        let declaresDocument = contentType.hasPrefix("image/") || contentType.hasPrefix("text/plain") || contentType == "application/pdf"
            || contentType.hasPrefix("application/msword") || contentType.hasPrefix("application/vnd.")
        switch sniffed {
        case .pe, .elf, .machO, .lnk, .iso9660:
            return declaresDocument || (!executable.contains(ext) && !diskImage.contains(ext) && ext != "lnk")
        case .script:
            // Scripts travel as text on technical lists; dressed as a document or image, they lie.
            return contentType.hasPrefix("image/") || contentType == "application/pdf" || (documentLike.contains(ext) && ext != "txt")
        case .html, .svg:
            return contentType == "application/pdf" || contentType.hasPrefix("image/") && sniffed == .html
                || !["html", "htm", "shtml", "xhtml", "mht", "mhtml", "svg", "txt", ""].contains(ext)
        case .zip:
            return ["pdf", "doc", "xls", "txt", "jpg", "png", "gif", "html"].contains(ext) || contentType == "application/pdf" || contentType.hasPrefix("image/")
        case .pdf:
            return !["pdf", ""].contains(ext) || contentType.hasPrefix("image/")
        default:
            return false
        }
    }
}
