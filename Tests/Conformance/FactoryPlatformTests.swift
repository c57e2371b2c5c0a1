import FakeCatalog
import Foundation
import QuiltBackends
import QuiltMode
import QuiltOps
import Testing

/// `BackendFactory` builds the Platform backend from the mode (api=platform), with the configured token over
/// stdio and each request's own bearer token over HTTP.
@Suite("Factory: the Platform backend")
struct FactoryPlatformTests {
    @Test("api=platform: the configured token, or the request's bearer token when there is one")
    func tokens() async throws {
        let target = try await FakeTarget.start(bucket: "factory-bucket")
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
}
