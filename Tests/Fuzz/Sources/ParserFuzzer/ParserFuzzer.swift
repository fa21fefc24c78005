import Features

/// libFuzzer entry point: the input is a stored message. It is parsed and its features
/// extracted twice, in 7-byte body chunks and whole; any trap, sanitizer report or
/// difference between the two is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let chunked = extract(bytes, chunkSize: 7)
    let whole = extract(bytes, chunkSize: max(1, bytes.count))
    precondition(chunked == whole, "chunking changed the feature vector")
    return 0
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

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry as `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("ParserFuzzer_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
