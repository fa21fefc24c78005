// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "gannet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gannet", targets: ["gannet"]),
        // For Tests/Fuzz, which links these into a libFuzzer binary.
        .library(name: "GannetFeatures", targets: ["Features"]),
        .library(name: "GannetFilterCore", targets: ["FilterCore", "Detection"]),
        .library(name: "GannetRuntime", targets: ["Runtime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CMilter",
            pkgConfig: "milter",
            providers: [.apt(["libmilter-dev"])]
        ),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CTLS",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "MailParsing", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Features", dependencies: ["MailParsing", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Detection", dependencies: ["Features", "MailParsing", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Baselines", dependencies: ["Features", "Detection", "CSQLite", "CTLS"]),
        .target(name: "FilterCore", dependencies: ["Detection", "Features", "MailParsing"]),
        .target(name: "Training", dependencies: ["MailParsing", "Features", "Detection", "FilterCore", "Baselines", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Runtime",
            dependencies: [
                "MailParsing", "Features", "Detection", "FilterCore", "Baselines",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        .target(
            name: "MilterBridge",
            dependencies: [
                "CMilter", "FilterCore", "Runtime",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SystemdSupport",
            dependencies: [
                "CSystemd", "Runtime",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "gannet",
            dependencies: [
                "MailParsing", "Features", "Detection", "FilterCore", "Training", "Runtime", "MilterBridge", "SystemdSupport", "Baselines",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "gannet-bench", dependencies: ["Detection", "Features", "FilterCore"]),
        .executableTarget(name: "gannet-baselines-bench", dependencies: ["Baselines", "Features", "Training"]),
        .testTarget(name: "MailParsingTests", dependencies: ["MailParsing", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "MailParsing"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Features", "FilterCore", "Detection", "Baselines"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "Features"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "Features", "MailParsing", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "FilterCoreTests", dependencies: ["FilterCore", "Detection", "Baselines", "Features"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "FilterCore", "Detection", "Features", "MailParsing", "Baselines"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["gannet", "Runtime", "FilterCore", "Features", "Baselines"],
            exclude: ["Lua", "Fixtures"]
        ),
    ]
)
