// swift-tools-version:6.1
// The parser's libFuzzer target, kept out of the main package because it only links when
// built with -sanitize=fuzzer (run.sh passes it to every module, so the parser itself is
// instrumented). Run: Tests/Fuzz/run.sh [SECONDS]
import PackageDescription

let package = Package(
    name: "GannetFuzz",
    dependencies: [.package(name: "gannet", path: "../..")],
    targets: [
        .executableTarget(
            name: "ParserFuzzer",
            dependencies: [.product(name: "GannetFeatures", package: "gannet")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
