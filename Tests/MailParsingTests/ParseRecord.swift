import MailParsing

/// Everything a parse produced, with text joined per part so that where chunks happened to
/// split it cannot matter: two parses are equal exactly when they found the same things.
struct ParseRecord: MessageSink, Equatable {
    var headers: [String] = []
    var text: [Int: [UInt8]] = [:]
    var htmlParts: Set<Int> = []
    var links: [String] = []
    var parts: [PartSummary] = []

    mutating func header(_ field: HeaderField, depth: Int) {
        headers.append("\(depth):\(field.name):\(field.value)")
    }

    mutating func visibleText(_ utf8: UnsafeRawBufferPointer, part: Int, isHTML: Bool) {
        text[part, default: []].append(contentsOf: utf8)
        if isHTML { htmlParts.insert(part) }
    }

    mutating func link(_ link: HTMLLink, part: Int) {
        links.append("\(part):\(link.kind.rawValue):\(link.url):\(link.anchorText):\(link.hidden)")
    }

    mutating func partFinished(_ part: PartSummary) {
        parts.append(part)
    }

    func text(of part: Int) -> String { String(decoding: text[part] ?? [], as: UTF8.self) }

    /// Parses a stored message in chunks of `chunkSize` bytes (0 = whole), through the same
    /// header/body split the milter makes.
    static func parse(_ bytes: [UInt8], chunkSize: Int, limits: ParserLimits = ParserLimits()) -> (ParseRecord, MessageStructure) {
        let split = HeaderSplit(bytes)
        var parser = MessageParser(sink: ParseRecord(), limits: limits)
        for (name, value) in split.headers { parser.header(name: name, value: value) }
        parser.endOfHeaders()
        let body = split.body
        let step = chunkSize == 0 ? max(1, body.count) : chunkSize
        var offset = 0
        while offset < body.count {
            let end = min(offset + step, body.count)
            body[offset..<end].withUnsafeBytes { parser.body($0) }
            offset = end
        }
        parser.finish()
        return (parser.sink, parser.structure)
    }
}

/// The milter's view of a stored message: unfolded-as-sent header fields, then the body.
struct HeaderSplit {
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    init(_ bytes: [UInt8]) {
        var index = 0
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: 10) ?? bytes.count
            var line = bytes[index..<end]
            if line.last == 13 { line = line.dropLast() }
            if line.isEmpty { index = end + 1; break }
            if line.first == 32 || line.first == 9, !headers.isEmpty {
                headers[headers.count - 1].1 += "\n" + String(decoding: line, as: UTF8.self)
            } else if let colon = line.firstIndex(of: 58) {
                let value = line[(colon + 1)...].drop { $0 == 32 || $0 == 9 }
                headers.append((String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self)))
            } else {
                break
            }
            index = end + 1
        }
        body = index < bytes.count ? Array(bytes[index...]) : []
    }
}
