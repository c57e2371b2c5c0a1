import FakeCatalog
import Foundation
import QuiltBackends
import QuiltContract
import QuiltJSON
import QuiltMode
import Testing

/// `BackendFactory` builds the Platform backend from the mode (api=platform), with the configured token over
/// stdio and each request's own bearer token over HTTP.
@Suite("Factory: the Platform backend")
struct FactoryPlatformTests {
    /// A fresh fake catalog with one bucket, and a token it accepts (for `conformance@example.com`).
    static func catalog(bucket: String) async throws -> (catalog: FakeCatalogServer, token: String) {
        let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: [bucket]))
        return (catalog, try await catalog.mintToken(subject: "conformance"))
    }

    @Test("api=platform: the configured token, or the request's bearer token when there is one")
    func tokens() async throws {
        let target = try await Self.catalog(bucket: "factory-bucket")
        defer { target.catalog.stop() }
        let bob = try await target.catalog.mintToken(subject: "bob")
        let environment = [
            "HOME": NSTemporaryDirectory(), "QUILT_MCP_API": "platform", "QUILT_MCP_AUTH": "jwt",
            "QUILT_MCP_CATALOG_URL": target.catalog.url, "QUILT_MCP_JWT_TOKEN": target.token,
            "AWS_ENDPOINT_URL_S3": target.catalog.s3Endpoint, "QUILT_MCP_REGISTRY": "s3://factory-bucket",
        ]
        let (mode, _) = try ModeResolver.resolve(arguments: [], environment: environment)
        let stdio = try BackendFactory.make(mode: mode)
        #expect(stdio.backendID == "platform")
        #expect(try await stdio.authStatus().identity == "conformance@example.com")
        let perRequest = try BackendFactory.make(
            mode: mode, credentials: RequestCredentials(bearerToken: bob, verified: false, claims: [:], tenant: nil))
        #expect(try await perRequest.authStatus().identity == "bob@example.com")
        // Objects go through the S3 endpoint from AWS_ENDPOINT_URL_S3 with the catalog's credentials.
        let registry = try RegistryURL.s3("factory-bucket")
        _ = try await perRequest.putObject(ObjectPut(key: registry.physicalKey("hello.txt"), bytes: Array("hi".utf8)))
        #expect(try await stdio.readObject(registry.physicalKey("hello.txt"), range: nil, maxBytes: 10).bytes == Array("hi".utf8))
        let readOnly = try BackendFactory.make(mode: try ModeResolver.resolve(arguments: ["--read-only"], environment: environment).0)
        #expect(!readOnly.capabilities.contains(.packageWrite))
    }

    @Test("api=platform with auth=session: the quilt3 login's token for the catalog's registry, refreshed when expired")
    func quilt3Login() async throws {
        let target = try await Self.catalog(bucket: "login-bucket")
        defer { target.catalog.stop() }
        let home = NSTemporaryDirectory() + "quilt-login-" + UUID().uuidString
        let data = home + "/.local/share/Quilt"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let refresh = try await target.catalog.auth.mint(subject: "carol", refresh: true)
        // An access token that expired an hour ago: the backend must refresh it at /api/token first.
        let stale = try await target.catalog.auth.mint(subject: "carol", expiresIn: -3600)
        let entry: JSONValue = [
            "access_token": .string(stale), "refresh_token": .string(refresh),
            "expires_at": .number(JSONNumber(Int(Date().timeIntervalSince1970) - 3600)),
        ]
        let auth = JSONValue.object(JSONObject([(target.catalog.url, entry)]))
        _ = FileManager.default.createFile(atPath: data + "/auth.json", contents: Data(JSONWriter.compact(auth).utf8))
        let environment = [
            "HOME": home, "QUILT_MCP_API": "platform", "QUILT_MCP_AUTH": "session", "QUILT_MCP_CATALOG_URL": target.catalog.url,
            "AWS_ENDPOINT_URL_S3": target.catalog.s3Endpoint, "QUILT_MCP_REGISTRY": "s3://login-bucket",
        ]
        let (mode, _) = try ModeResolver.resolve(arguments: [], environment: environment)
        let backend = try BackendFactory.make(mode: mode)
        let status = try await backend.authStatus()
        #expect(status.authenticated && status.identity == "carol@example.com" && status.method == "quilt3-session", "\(status)")
        #expect(target.catalog.log.count("POST /api/token") == 1)
        // Persistent state: the refreshed token was written back, 0600, as quilt3 does.
        let saved = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: data + "/auth.json"))))
        #expect(saved[target.catalog.url]?["access_token"]?.stringValue != stale)
        let attributes = try FileManager.default.attributesOfItem(atPath: data + "/auth.json")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        _ = try await backend.listPackages(registry: try RegistryURL.s3("login-bucket"), prefix: "", page: PageRequest(limit: 10))
        #expect(target.catalog.log.count("POST /api/token") == 1, "the fresh token is kept in memory")

        // No login for this catalog: a typed error that says to log in.
        try FileManager.default.removeItem(atPath: data + "/auth.json")
        let (other, _) = try ModeResolver.resolve(arguments: [], environment: environment.merging(["HOME": home + "/nobody"]) { $1 })
        let loggedOut = try BackendFactory.make(mode: other)
        let refused = try await loggedOut.authStatus()
        #expect(!refused.authenticated && refused.detail.contains("quilt3 login"), "\(refused)")
    }
}
