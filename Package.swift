// swift-tools-version: 6.1
// quilt-mcp: a Model Context Protocol server for Quilt data packages.
// One module per concept; read the dependency arrows below top to bottom to learn the architecture.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "quilt-mcp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quilt-mcp", targets: ["quilt-mcp"]),
        .library(name: "QuiltOps", targets: ["QuiltOps"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Exact JSON: order-keeping values, a fast parser, Python-compatible encoders.
        .target(name: "QuiltJSON", swiftSettings: swiftSettings),
        // Object hashes: sha2-256-chunked, SHA256, CRC64NVME.
        .target(name: "QuiltHash", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),
        // The backend-agnostic contract: QuiltOps, domain values, typed errors, capabilities.
        .target(name: "QuiltOps", dependencies: ["QuiltJSON", "QuiltHash"], swiftSettings: swiftSettings),
        // quilt3 manifests: streaming reader, byte-identical writer, top hash.
        .target(name: "QuiltManifest", dependencies: ["QuiltJSON", "QuiltHash", "QuiltOps",
                                                      .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),
        // Object storage protocol with memory and local-file stores.
        .target(name: "QuiltStorage", dependencies: ["QuiltOps", "QuiltHash"], swiftSettings: swiftSettings),
        // The registry engine: QuiltOps over the quilt3 registry layout on any storage.
        .target(name: "QuiltRegistry", dependencies: ["QuiltOps", "QuiltManifest", "QuiltStorage", "QuiltHash", "QuiltJSON"],
                swiftSettings: swiftSettings),
        // The one place that reads the environment and resolves the deployment mode.
        .target(name: "QuiltMode", dependencies: ["QuiltOps", "QuiltJSON"], swiftSettings: swiftSettings),
        // The one place that chooses a backend: Mode -> QuiltOps.
        .target(name: "QuiltBackends", dependencies: ["QuiltMode", "QuiltOps", "QuiltRegistry", "QuiltStorage"],
                swiftSettings: swiftSettings),
        // MCP-shaped tools over QuiltOps (schemas, argument decoding, structured results).
        .target(name: "QuiltTools", dependencies: ["QuiltOps", "QuiltJSON", "QuiltMode"], swiftSettings: swiftSettings),
        // The MCP server: the tool layer and resources over the swift-sdk, and a blocking stdio transport.
        .target(name: "QuiltServer",
                dependencies: [.product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log"),
                               "QuiltTools", "QuiltOps", "QuiltMode", "QuiltJSON", "QuiltBackends"],
                swiftSettings: swiftSettings),
        // The command line and server entry point.
        .executableTarget(name: "quilt-mcp", dependencies: ["QuiltMode", "QuiltBackends", "QuiltTools", "QuiltJSON", "QuiltOps",
                                                            "QuiltServer"],
                          swiftSettings: swiftSettings),
        // Benchmarks (release build): `swift run -c release quilt-bench`.
        .executableTarget(name: "quilt-bench", dependencies: ["QuiltMode", "QuiltRegistry", "QuiltStorage", "QuiltManifest", "QuiltOps",
                                                              "QuiltHash", "QuiltJSON"],
                          swiftSettings: swiftSettings),
        // Fakes of the world at its edges (storage faults now; the fake catalog later).
        .target(name: "QuiltMocks", dependencies: ["QuiltStorage", "QuiltOps"], path: "Mocks/QuiltMocks",
                swiftSettings: swiftSettings),

        .testTarget(name: "CoreTests", dependencies: ["QuiltJSON", "QuiltHash", "QuiltOps", "QuiltManifest"],
                    path: "Tests/Core", swiftSettings: swiftSettings),
        .testTarget(name: "ModeTests", dependencies: ["QuiltMode", "QuiltOps", "QuiltJSON"],
                    path: "Tests/Mode", swiftSettings: swiftSettings),
        .testTarget(name: "BackendTests", dependencies: ["QuiltRegistry", "QuiltStorage", "QuiltManifest", "QuiltOps",
                                                         "QuiltMocks", "QuiltJSON", "QuiltHash"],
                    path: "Tests/Backends", swiftSettings: swiftSettings),
        .testTarget(name: "ConformanceTests", dependencies: ["QuiltOps", "QuiltRegistry", "QuiltStorage", "QuiltBackends",
                                                             "QuiltMode", "QuiltJSON", "QuiltTools"],
                    path: "Tests/Conformance", swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["QuiltJSON"], path: "Tests/CLI", swiftSettings: swiftSettings),
        // Drives the built executable over stdio with raw JSON-RPC.
        .testTarget(name: "ServerTests", dependencies: ["QuiltJSON", "QuiltServer", "QuiltOps", .product(name: "MCP", package: "swift-sdk")],
                    path: "Tests/Server", swiftSettings: swiftSettings),
    ]
)
