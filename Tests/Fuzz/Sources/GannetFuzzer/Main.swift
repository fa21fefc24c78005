import Foundation

/// libFuzzer's entry point for the target GANNET_FUZZ_TARGET names (parser, filter, toml or
/// model; parser when unset).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch target {
    case "filter": FilterTarget.run(bytes)
    case "toml": TOMLTarget.run(bytes)
    case "model": ModelTarget.run(bytes)
    default: ParserTarget.run(bytes)
    }
    return 0
}

private let target = ProcessInfo.processInfo.environment["GANNET_FUZZ_TARGET"] ?? "parser"

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry as `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("GannetFuzzer_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
