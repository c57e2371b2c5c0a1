// swift-tools-version: 6.1
// quilt-mcp: a Model Context Protocol server for Quilt data packages.
// One module per concept; read the dependency arrows below top to bottom to learn the architecture.
import PackageDescription

// As Hummingbird does: an import is internal unless a file says otherwise (`package import`, `public import`), and
// a file sees members only of the modules it imports itself.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "quilt-mcp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quilt-mcp", targets: ["quilt-mcp"]),
        .library(name: "QuiltContract", targets: ["QuiltContract"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Tests only: a self-signed certificate for the TLS test server (both already in the graph through jwt-kit).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/drmohundro/SWXMLHash", from: "8.1.1"),
        // Without its default traits: FullFoundation would link libFoundation (and ICU) into the server for its
        // form-encoding date formats, which nothing here uses; ConfigurationSupport is unused too.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // OrderedDictionary, as the GraphQL package's values carry it (the fake catalog reads them).
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // MARK: - Values and the contract

        // Exact JSON: order-keeping values, a fast parser, Python-compatible encoders.
        .target(name: "QuiltJSON", swiftSettings: swiftSettings),
        // Object hashes: sha2-256-chunked, SHA256, CRC64NVME.
        .target(name: "QuiltHash", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),
        // The backend-agnostic contract: QuiltOps, domain values, typed errors, capabilities.
        .target(name: "QuiltContract", dependencies: ["QuiltJSON", "QuiltHash"], swiftSettings: swiftSettings),
        // quilt3 manifests: streaming reader, byte-identical writer, top hash.
        .target(name: "QuiltManifest", dependencies: ["QuiltJSON", "QuiltHash", "QuiltContract",
                                                      .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),

        // MARK: - Storage and the registry engine

        // Object storage protocol with memory and local-file stores.
        .target(name: "QuiltStorage", dependencies: ["QuiltContract"], swiftSettings: swiftSettings),
        // The registry engine: QuiltOps over the quilt3 registry layout on any storage.
        .target(name: "QuiltRegistry", dependencies: ["QuiltContract", "QuiltManifest", "QuiltStorage", "QuiltHash", "QuiltJSON"],
                swiftSettings: swiftSettings),

        // MARK: - Configuration

        // The one place that reads the environment and resolves the deployment mode.
        .target(name: "QuiltMode", dependencies: ["QuiltContract", "QuiltJSON"], swiftSettings: swiftSettings),

        // MARK: - Remote backends

        // The HTTP seam every remote client goes through: live (AsyncHTTPClient, and NIO directly on event loops), recording and replaying.
        .target(name: "QuiltHTTP", dependencies: ["QuiltContract", "QuiltJSON",
                                                  .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                  .product(name: "NIOCore", package: "swift-nio"),
                                                  .product(name: "NIOHTTP1", package: "swift-nio"),
                                                  .product(name: "NIOPosix", package: "swift-nio"),
                                                  .product(name: "NIOSSL", package: "swift-nio-ssl")],
                swiftSettings: swiftSettings),
        // S3: SigV4, the S3 client, S3 storage for the registry engine, AWS and quilt3-session credentials.
        .target(name: "QuiltS3", dependencies: ["QuiltHTTP", "QuiltStorage", "QuiltContract", "QuiltHash", "QuiltJSON",
                                                .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: swiftSettings),
        // The query contract's embedded engine: SQL over package files with the system SQLite.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "QuiltQuery", dependencies: ["CSQLite", "QuiltContract", "QuiltJSON", "QuiltHash"],
                swiftSettings: swiftSettings),
        // Athena and Glue: the query contract on AWS's query service, over the JSON protocol with SigV4.
        .target(name: "QuiltAthena", dependencies: ["QuiltHTTP", "QuiltS3", "QuiltContract", "QuiltJSON"],
                swiftSettings: swiftSettings),
        // Access checks (AccessOps): AWS identity and per-bucket probes with the deployment's credentials, the catalog's view.
        .target(name: "QuiltAccess", dependencies: ["QuiltS3", "QuiltContract"], swiftSettings: swiftSettings),
        // The Platform backend: QuiltOps over the catalog's GraphQL API and REST endpoints, with a JWT.
        .target(name: "QuiltPlatform", dependencies: ["QuiltHTTP", "QuiltS3", "QuiltContract", "QuiltJSON", "QuiltStorage", "QuiltHash", "QuiltRegistry"],
                // Embedded in the binary (not a resource bundle beside it), so a copied release binary still has them.
                resources: [
                    .embedInCode("Operations/AdminRoleCreateManaged.graphql"),
                    .embedInCode("Operations/AdminRoleCreateUnmanaged.graphql"),
                    .embedInCode("Operations/AdminRoleUpdateManaged.graphql"),
                    .embedInCode("Operations/AdminRoleUpdateUnmanaged.graphql"),
                    .embedInCode("Operations/AdminRoleDelete.graphql"),
                    .embedInCode("Operations/AdminRoleSetDefault.graphql"),
                    .embedInCode("Operations/AdminPolicies.graphql"),
                    .embedInCode("Operations/AdminPolicyCreateManaged.graphql"),
                    .embedInCode("Operations/AdminPolicyCreateUnmanaged.graphql"),
                    .embedInCode("Operations/AdminPolicyUpdateManaged.graphql"),
                    .embedInCode("Operations/AdminPolicyUpdateUnmanaged.graphql"),
                    .embedInCode("Operations/AdminPolicyDelete.graphql"),
                    .embedInCode("Operations/AdminBucket.graphql"),
                    .embedInCode("Operations/AdminBucketAdd.graphql"),
                    .embedInCode("Operations/AdminBucketUpdate.graphql"),
                    .embedInCode("Operations/AdminBucketRemove.graphql"),
                    .embedInCode("Operations/AdminAPIKeys.graphql"),
                    .embedInCode("Operations/AdminAPIKeyCreate.graphql"),
                    .embedInCode("Operations/AdminAPIKeyRevoke.graphql"),
                    .embedInCode("Operations/AdminEventRules.graphql"),
                    .embedInCode("Operations/AdminEventRuleToggle.graphql"),
                    .embedInCode("Operations/AdminFragments.graphql"),
                    .embedInCode("Operations/AdminRoles.graphql"),
                    .embedInCode("Operations/AdminSSOConfig.graphql"),
                    .embedInCode("Operations/AdminSetSSOConfig.graphql"),
                    .embedInCode("Operations/AdminUser.graphql"),
                    .embedInCode("Operations/AdminUserAddRoles.graphql"),
                    .embedInCode("Operations/AdminUserCreate.graphql"),
                    .embedInCode("Operations/AdminUserDelete.graphql"),
                    .embedInCode("Operations/AdminUserRemoveRoles.graphql"),
                    .embedInCode("Operations/AdminUserResetPassword.graphql"),
                    .embedInCode("Operations/AdminUserSetActive.graphql"),
                    .embedInCode("Operations/AdminUserSetAdmin.graphql"),
                    .embedInCode("Operations/AdminUserSetEmail.graphql"),
                    .embedInCode("Operations/AdminUserSetRole.graphql"),
                    .embedInCode("Operations/AdminUsers.graphql"),
                    .embedInCode("Operations/BucketConfigs.graphql"),
                    .embedInCode("Operations/Me.graphql"),
                    .embedInCode("Operations/PackageConstruct.graphql"),
                    .embedInCode("Operations/PackageList.graphql"),
                    .embedInCode("Operations/PackagePromote.graphql"),
                    .embedInCode("Operations/PackageRevisionDelete.graphql"),
                    .embedInCode("Operations/PackageRevisions.graphql"),
                    .embedInCode("Operations/RevisionContents.graphql"),
                    .embedInCode("Operations/RevisionDir.graphql"),
                    .embedInCode("Operations/RevisionHash.graphql"),
                    .embedInCode("Operations/RevisionInfo.graphql"),
                    .embedInCode("Operations/SchemaProbe.graphql"),
                    .embedInCode("Operations/SearchMoreObjects.graphql"),
                    .embedInCode("Operations/SearchMorePackages.graphql"),
                    .embedInCode("Operations/SearchObjects.graphql"),
                    .embedInCode("Operations/SearchPackages.graphql"),
                    .embedInCode("Operations/SearchPackagesLegacy.graphql"),
                    .embedInCode("Operations/TabulatorOpenQuery.graphql"),
                    .embedInCode("Operations/TabulatorRenameTable.graphql"),
                    .embedInCode("Operations/TabulatorSetOpenQuery.graphql"),
                    .embedInCode("Operations/TabulatorSetTable.graphql"),
                    .embedInCode("Operations/TabulatorTables.graphql"),
                ], swiftSettings: swiftSettings),
        // The one place that chooses a backend: Mode -> QuiltOps.
        .target(name: "QuiltBackends", dependencies: ["QuiltMode", "QuiltContract", "QuiltHash", "QuiltRegistry", "QuiltStorage", "QuiltS3", "QuiltHTTP", "QuiltPlatform", "QuiltQuery", "QuiltAthena", "QuiltAccess"],
                swiftSettings: swiftSettings),

        // MARK: - The server

        // MCP-shaped tools over QuiltOps (schemas, argument decoding, structured results).
        .target(name: "QuiltTools", dependencies: ["QuiltContract", "QuiltJSON", "QuiltHash"], swiftSettings: swiftSettings),
        // The MCP protocol layer: JSON-RPC messages parsed once over QuiltJSON, both eras (the initialize handshake and
        // 2026-07-28's per-request envelope), and the stdio connection.
        .target(name: "QuiltProtocol", dependencies: ["QuiltJSON", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),
        // The MCP server: the tool layer and resources as MCP methods on QuiltProtocol.
        .target(name: "QuiltServer",
                dependencies: [.product(name: "Logging", package: "swift-log"),
                               .product(name: "CoreMetrics", package: "swift-metrics"),
                               .product(name: "Crypto", package: "swift-crypto"),
                               "QuiltProtocol", "QuiltTools", "QuiltContract", "QuiltMode", "QuiltJSON", "QuiltBackends"],
                swiftSettings: swiftSettings),
        // Streamable HTTP for the MCP server (Hummingbird), with JWT verification and per-tenant isolation.
        .target(name: "QuiltHTTPServer", dependencies: ["QuiltServer", "QuiltProtocol", "QuiltMode", "QuiltContract", "QuiltBackends", "QuiltStorage", "QuiltJSON", "QuiltHTTP",
                                                        .product(name: "Hummingbird", package: "hummingbird"),
                                                        .product(name: "HummingbirdCore", package: "hummingbird"),
                                                        .product(name: "JWTKit", package: "jwt-kit"),
                                                        .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                        .product(name: "NIOCore", package: "swift-nio"),
                                                        .product(name: "NIOHTTP1", package: "swift-nio"),
                                                        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                                                        .product(name: "Logging", package: "swift-log"),
                                                        .product(name: "CoreMetrics", package: "swift-metrics"),
                                                        .product(name: "Prometheus", package: "swift-prometheus")],
                swiftSettings: swiftSettings),
        // The command line and server entry point.
        .executableTarget(name: "quilt-mcp", dependencies: ["QuiltHTTPServer", "QuiltMode", "QuiltBackends", "QuiltTools", "QuiltJSON", "QuiltContract",
                                                            "QuiltServer", "QuiltProtocol"],
                          swiftSettings: swiftSettings),

        // MARK: - Fakes of the world's edges

        // A storage that fails chosen writes.
        .target(name: "QuiltMocks", dependencies: ["QuiltStorage", "QuiltContract"], path: "Mocks/QuiltMocks",
                swiftSettings: swiftSettings),
        // The fake catalog: the catalog's HTTP surface over the registry engine, with fault knobs (tests and `fake-catalog`).
        .target(name: "FakeCatalog", dependencies: ["QuiltRegistry", "QuiltStorage", "QuiltContract", "QuiltJSON", "QuiltManifest", "QuiltHash",
                                                    .product(name: "GraphQL", package: "GraphQL"),
                                                    .product(name: "OrderedCollections", package: "swift-collections"),
                                                    .product(name: "Hummingbird", package: "hummingbird"),
                                                    .product(name: "Logging", package: "swift-log"),
                                                    .product(name: "JWTKit", package: "jwt-kit")],
                path: "Mocks/FakeCatalog", resources: [.copy("Schema")], swiftSettings: swiftSettings),
        // `swift run fake-catalog`: the fake catalog as a process, for CI tiers and benchmarks.
        .executableTarget(name: "fake-catalog", dependencies: ["FakeCatalog", "QuiltPlatform", "QuiltContract", "QuiltHTTP", "QuiltRegistry", "QuiltHash"], path: "Mocks/fake-catalog",
                          swiftSettings: swiftSettings),

        // MARK: - Benchmarks

        // `swift run -c release quilt-bench` (docs/guide/benchmarks.md).
        .executableTarget(name: "quilt-bench", dependencies: ["QuiltMode", "QuiltRegistry", "QuiltStorage", "QuiltManifest", "QuiltContract",
                                                              "QuiltHash", "QuiltJSON", "QuiltS3", "QuiltHTTP",
                                                              .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                              .product(name: "NIOCore", package: "swift-nio"),
                                                              .product(name: "NIOHTTP1", package: "swift-nio"),
                                                              .product(name: "JWTKit", package: "jwt-kit")],
                          swiftSettings: swiftSettings),
        // The floor under quilt-mcp's start-up figures: an empty server on the protocol layer alone (Benchmarks/README.md).
        .executableTarget(name: "mcp-floor", dependencies: ["QuiltProtocol", "QuiltJSON", .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/mcp-floor",
                          swiftSettings: swiftSettings),

        // MARK: - Tests

        // What the test targets share: the built executables and how to run them, a ticking clock, scratch directories,
        // the fixture mode, and the conformance harnesses (every backend configuration, ready for a scenario).
        .target(name: "QuiltTestSupport", dependencies: ["QuiltContract", "QuiltRegistry", "QuiltStorage", "QuiltBackends", "QuiltS3",
                                                         "QuiltHTTP", "QuiltPlatform", "QuiltMode", "QuiltMocks", "FakeCatalog"],
                path: "Tests/Support", swiftSettings: swiftSettings),
        .testTarget(name: "CoreTests", dependencies: ["QuiltJSON", "QuiltHash", "QuiltContract", "QuiltManifest"],
                    path: "Tests/Core", swiftSettings: swiftSettings),
        .testTarget(name: "ModeTests", dependencies: ["QuiltMode", "QuiltContract", "QuiltJSON"],
                    path: "Tests/Mode", swiftSettings: swiftSettings),
        .testTarget(name: "BackendTests", dependencies: ["QuiltRegistry", "QuiltStorage", "QuiltManifest", "QuiltContract",
                                                         "QuiltMocks", "QuiltJSON", "QuiltHash", "QuiltBackends", "QuiltS3",
                                                         "QuiltMode", "QuiltHTTP", "FakeCatalog", "QuiltQuery"],
                    path: "Tests/Backends", swiftSettings: swiftSettings),
        .testTarget(name: "ConformanceTests", dependencies: ["QuiltTestSupport", "QuiltContract", "QuiltRegistry", "QuiltStorage", "QuiltS3", "QuiltHTTP",
                                                             "FakeCatalog", "QuiltJSON", "QuiltTools", "QuiltHash", "QuiltQuery", "QuiltAccess"],
                    path: "Tests/Conformance", swiftSettings: swiftSettings),
        .testTarget(name: "AthenaTests", dependencies: ["QuiltTestSupport", "QuiltAthena", "QuiltHTTP", "QuiltContract", "QuiltJSON", "QuiltS3",
                                                        "QuiltTools", "QuiltRegistry", "QuiltStorage", "QuiltQuery", "QuiltPlatform", "FakeCatalog"],
                    path: "Tests/Athena", swiftSettings: swiftSettings),
        .testTarget(name: "PlatformTests", dependencies: ["QuiltTestSupport", "QuiltPlatform", "FakeCatalog", "QuiltHTTP", "QuiltContract", "QuiltJSON", "QuiltS3", "QuiltTools",
                                                          .product(name: "GraphQL", package: "GraphQL"),
                                                          .product(name: "Crypto", package: "swift-crypto")],
                    path: "Tests/Platform", swiftSettings: swiftSettings),
        .testTarget(name: "S3Tests", dependencies: ["QuiltTestSupport", "QuiltS3", "QuiltHTTP", "QuiltContract", "QuiltJSON", "QuiltStorage", "QuiltHash",
                                                    .product(name: "Crypto", package: "swift-crypto"),
                                                    .product(name: "SWXMLHash", package: "SWXMLHash"),
                                                    .product(name: "NIOCore", package: "swift-nio"),
                                                    .product(name: "NIOPosix", package: "swift-nio")],
                    path: "Tests/S3", swiftSettings: swiftSettings),
        .testTarget(name: "ProtocolTests", dependencies: ["QuiltProtocol", "QuiltJSON", .product(name: "Logging", package: "swift-log")],
                    path: "Tests/Protocol", swiftSettings: swiftSettings),
        .testTarget(name: "HTTPServerTests", dependencies: ["QuiltTestSupport", "QuiltJSON", "QuiltHTTPServer", "QuiltServer", "QuiltMode",
                                                            "QuiltContract", "QuiltHTTP", "QuiltProtocol", "QuiltTools", "FakeCatalog",
                                                            .product(name: "Logging", package: "swift-log"),
                                                            .product(name: "NIOCore", package: "swift-nio"),
                                                            .product(name: "NIOPosix", package: "swift-nio"),
                                                            .product(name: "NIOHTTP1", package: "swift-nio"),
                                                            .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                            .product(name: "X509", package: "swift-certificates"),
                                                            .product(name: "SwiftASN1", package: "swift-asn1"),
                                                            .product(name: "JWTKit", package: "jwt-kit"),
                                                            .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                            .product(name: "Hummingbird", package: "hummingbird"),
                                                            .product(name: "Crypto", package: "swift-crypto"),
                                                            .product(name: "_CryptoExtras", package: "swift-crypto")],
                    path: "Tests/HTTPServer", swiftSettings: swiftSettings),
        // The conformance scenarios that have a tool equivalent, run through ToolCatalog.call on every local backend.
        .testTarget(name: "ToolLayerTests", dependencies: ["QuiltTestSupport", "QuiltTools", "QuiltRegistry", "QuiltStorage", "QuiltContract", "QuiltJSON", "QuiltQuery",
                                                           "QuiltAccess", "QuiltPlatform", "QuiltHTTP", "QuiltS3", "FakeCatalog"],
                    path: "Tests/ToolLayer", swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["QuiltTestSupport", "QuiltJSON"], path: "Tests/CLI", swiftSettings: swiftSettings),
        // Drives the built executable over stdio with raw JSON-RPC.
        .testTarget(name: "ServerTests", dependencies: ["QuiltTestSupport", "QuiltJSON", "QuiltServer"],
                    path: "Tests/Server", swiftSettings: swiftSettings),
    ]
)
