// swift-tools-version:6.1
// Gannet's libFuzzer targets, kept out of the main package because they only link when built
// with -sanitize=fuzzer (run.sh passes it to every module, so the code under test is
// instrumented too). One binary; GANNET_FUZZ_TARGET picks the target. Run: Tests/Fuzz/run.sh
import PackageDescription

let package = Package(
    name: "GannetFuzz",
    dependencies: [.package(name: "gannet", path: "../..")],
    targets: [
        .executableTarget(
            name: "GannetFuzzer",
            dependencies: [
                .product(name: "GannetFeatures", package: "gannet"),
                .product(name: "GannetFilterCore", package: "gannet"),
                .product(name: "GannetRuntime", package: "gannet"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
