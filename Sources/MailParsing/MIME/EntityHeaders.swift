/// The MIME headers of one entity, interpreted: what kind of body follows and how it is encoded.
struct EntityHeaders: Sendable {
    var contentType = Self.plainText
    var sawContentType = false
    var transferEncoding = "7bit"
    var disposition: MIMEHeaderValue?

    /// The type of an entity that names none (or none with a "/"), parsed once.
    private static let plainText = MIMEHeaderValue(parsing: "text/plain")

    mutating func take(_ field: HeaderField) {
        if field.isNamed("Content-Type"), !sawContentType {
            sawContentType = true
            contentType = MIMEHeaderValue(parsing: field.unfoldedValue)
            if !contentType.value.containsCharacter("/") { contentType = Self.plainText }
        } else if field.isNamed("Content-Transfer-Encoding") {
            transferEncoding = field.unfoldedValue.trimmedLowercasedASCII
        } else if field.isNamed("Content-Disposition"), disposition == nil {
            disposition = MIMEHeaderValue(parsing: field.unfoldedValue)
        }
    }

    var isMultipart: Bool { contentType.value.hasPrefix("multipart/") }
    var isAttachedMessage: Bool {
        (contentType.value == "message/rfc822" || contentType.value == "message/global")
            && ["7bit", "8bit", "binary", ""].contains(transferEncoding)
    }

    var filename: String? {
        let raw = disposition?["filename"] ?? contentType["name"]
        guard let raw, !raw.isEmpty else { return nil }
        return raw.containsBytes("=?") ? EncodedWords.decode(raw).text : raw
    }

    func summary(index: Int, depth: Int) -> PartSummary {
        let type = contentType.value
        let dispositionValue = disposition?.value
        let name = filename
        let isText = type == "text/plain" || type == "text/html"
        let attachment = !isText || dispositionValue == "attachment" || name != nil
        return PartSummary(
            index: index, depth: depth, contentType: type, charset: contentType["charset"]?.trimmedLowercasedASCII,
            transferEncoding: transferEncoding, disposition: dispositionValue, filename: name, isAttachment: attachment
        )
    }
}
