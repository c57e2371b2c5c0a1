// swift-tools-version: 6.1
// libFuzzer targets for the parsers that see outside bytes (docs/design/fuzzing.md).
//
// The project's modules are compiled here from symlinks to their real sources (Sources/QuiltJSON ->
// ../../Sources/QuiltJSON), so the fuzzers run the shipping code while the root Package.swift stays untouched.
// Only what the targets need is built: QuiltHTTP without its live transport, QuiltS3 without its storage adapter,
// four files of QuiltProtocol, a plain-Swift stand-in for swift-crypto, and single files of QuiltHTTPServer compiled
// straight into the fuzzer that exercises them (their declarations are internal; a file in the same module sees
// them without any access change).
//
// Build and run with scripts/fuzz.sh, which adds the sanitizer flags; a plain `swift build` here fails to link (the
// fuzzers have no main of their own: libFuzzer provides it).
import PackageDescription

// The root package's settings: the shared sources are written for internal-by-default imports.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "quilt-mcp-fuzz",
    platforms: [.macOS(.v15)],
    targets: [
        // A plain-Swift stand-in for swift-crypto's Crypto (SHA-256, HMAC, MD5, SHA-1 only): swift-crypto compiles
        // BoringSSL, which SwiftPM's --sanitize instruments too, and that alone blew the CI time budget.
        .target(name: "Crypto", path: "Stubs/Crypto", swiftSettings: swiftSettings),

        // The project's modules, from symlinks to Sources/.
        .target(name: "QuiltJSON", swiftSettings: swiftSettings),
        .target(name: "QuiltHash", dependencies: ["Crypto"],
                swiftSettings: swiftSettings),
        .target(name: "QuiltContract", dependencies: ["QuiltJSON", "QuiltHash"], swiftSettings: swiftSettings),
        .target(name: "QuiltManifest", dependencies: ["QuiltJSON", "QuiltHash", "QuiltContract",
                                                      "Crypto"],
                swiftSettings: swiftSettings),
        .target(name: "QuiltMode", dependencies: ["QuiltContract", "QuiltJSON"], swiftSettings: swiftSettings),
        // The HTTP seam only (HTTPTransport.swift, HTTPURL.swift: file symlinks): no live transport (AsyncHTTPClient,
        // NIO), no fixture recording and replay.
        .target(name: "QuiltHTTP", dependencies: ["QuiltContract", "QuiltJSON"], swiftSettings: swiftSettings),
        // The S3 client without the storage adapter (the three files that need QuiltStorage).
        .target(name: "QuiltS3", dependencies: ["QuiltHTTP", "QuiltContract", "QuiltHash", "QuiltJSON",
                                                "Crypto"],
                exclude: ["S3Storage.swift", "S3StorageResolver.swift", "S3ChunkReader.swift"], swiftSettings: swiftSettings),
        // The protocol layer's message files (file symlinks): classification, errors, versions, the 2026 envelope.
        .target(name: "QuiltProtocol", dependencies: ["QuiltJSON"], swiftSettings: swiftSettings),

        // Property checks and input helpers shared by the fuzzers.
        .target(name: "FuzzSupport", dependencies: ["QuiltJSON"], swiftSettings: swiftSettings),

        // One libFuzzer executable per parser.
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzSupport", "QuiltJSON"], swiftSettings: swiftSettings),
        .executableTarget(name: "fuzz-manifest", dependencies: ["FuzzSupport", "QuiltManifest", "QuiltContract", "QuiltJSON", "Crypto"],
                          swiftSettings: swiftSettings),
        .executableTarget(name: "fuzz-jsonrpc", dependencies: ["FuzzSupport", "QuiltJSON", "QuiltProtocol"], swiftSettings: swiftSettings),
        // + S3Error.swift and XMLReader.swift (symlinks to Sources/QuiltS3) for S3XML, internal to QuiltS3.
        .executableTarget(name: "fuzz-s3xml", dependencies: ["FuzzSupport", "QuiltS3", "QuiltHTTP", "QuiltContract", "Crypto"],
                          swiftSettings: swiftSettings),
        // + CompactJWT.swift, AuthFailure.swift, ClaimChecks.swift (symlinks to Sources/QuiltHTTPServer).
        .executableTarget(name: "fuzz-jwt", dependencies: ["FuzzSupport", "QuiltJSON", "QuiltMode"], swiftSettings: swiftSettings),
        .executableTarget(name: "fuzz-keys", dependencies: ["FuzzSupport", "QuiltContract", "QuiltJSON", "QuiltHTTP"], swiftSettings: swiftSettings),
    ]
)
