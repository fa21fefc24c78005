// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "gannet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gannet", targets: ["gannet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        .target(name: "Detection"),
        .target(name: "FilterCore", dependencies: ["Detection"]),
        .target(
            name: "Runtime",
            dependencies: [
                "Detection", "FilterCore",
                .product(name: "Logging", package: "swift-log"),
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
                "Detection", "FilterCore", "Runtime", "MilterBridge", "SystemdSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "DetectionTests", dependencies: ["Detection"]),
        .testTarget(name: "FilterCoreTests", dependencies: ["FilterCore", "Detection"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "FilterCore", "Detection"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["gannet", "Runtime"],
            exclude: ["Lua"]
        ),
    ]
)
