import Features

/// The streaming parser and extractor: the input is a stored message. It is parsed and its
/// features extracted twice, in 7-byte body chunks and whole; any trap, sanitizer report or
/// difference between the two is a finding.
enum ParserTarget {
    static func run(_ bytes: [UInt8]) {
        let chunked = extract(bytes, chunkSize: 7)
        let whole = extract(bytes, chunkSize: max(1, bytes.count))
        precondition(chunked == whole, "chunking changed the feature vector")
    }
}

private func extract(_ bytes: [UInt8], chunkSize: Int) -> FeatureVector {
    var extractor = FeatureExtractor(settings: FeatureSettings(internalDomains: ["gannet.test"]), pass: .full)
    var index = 0
    var pending: (name: String, value: String)?
    while index < bytes.count {
        let end = bytes[index...].firstIndex(of: 10) ?? bytes.count
        var line = bytes[index..<end]
        if line.last == 13 { line = line.dropLast() }
        if line.isEmpty { index = end + 1; break }
        if line.first == 32 || line.first == 9, pending != nil {
            pending!.value += "\n" + String(decoding: line, as: UTF8.self)
        } else if let colon = line.firstIndex(of: 58) {
            if let field = pending { extractor.header(name: field.name, value: field.value) }
            pending = (String(decoding: line[..<colon], as: UTF8.self), String(decoding: line[(colon + 1)...], as: UTF8.self))
        } else {
            break
        }
        index = end + 1
    }
    if let field = pending { extractor.header(name: field.name, value: field.value) }
    extractor.endOfHeaders()
    var offset = min(index, bytes.count)
    while offset < bytes.count {
        let end = min(offset + chunkSize, bytes.count)
        bytes[offset..<end].withUnsafeBytes { extractor.body($0) }
        offset = end
    }
    return extractor.finish()
}
