import Foundation
import QuiltContract
import QuiltHTTP
import QuiltMode
import QuiltStorage
import Synchronization
import Testing

@testable import QuiltBackends

/// A local registry's S3 fallback (manifests pointing into S3, calls naming `s3://`) keeps one S3 client per
/// settings: over HTTP a backend is made per request, and credentials must not be resolved again each time.
@Suite("Factory: the local registry's S3 fallback")
struct FactoryLocalS3Tests {
    /// Container credentials at a full URI, then S3: counts the credential fetches.
    final class Network: HTTPTransport {
        let credentialFetches = Mutex(0)
        func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
            if request.url.hasPrefix("http://169.254.170.23/") {
                credentialFetches.withLock { $0 += 1 }
                let json = #"{"AccessKeyId": "ASIALOCALFALLBACK001", "SecretAccessKey": "s", "Token": "t", "Expiration": "2099-01-01T00:00:00Z"}"#
                return QuiltHTTPResponse(status: 200, body: Array(json.utf8))
            }
            return QuiltHTTPResponse(status: 200, headers: [HTTPField("content-length", "5")], body: Array("hello".utf8))
        }
    }

    static func mode(region: String) throws -> Mode {
        try ModeResolver.resolve(
            arguments: ["call", "--registry", "memory://local-fallback", "--auth", "iam"],
            environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials", "AWS_REGION": region,
                "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
            ]
        ).0
    }

    static func read(_ resolver: any StorageResolver) async throws -> [UInt8] {
        let store = try resolver.storage(for: try RegistryURL.s3("some-bucket"))
        return try await store.get("data.txt", range: nil).1
    }

    @Test("Backends made from the same settings share the client: credentials are fetched once, not per backend")
    func sharedClient() async throws {
        let network = Network()
        let local = LocalStorageResolver(files: .allowed)
        let mode = try Self.mode(region: "eu-west-1")
        for _ in 0..<3 {
            let resolver = BackendFactory.localWithS3(mode: mode, local: local, transport: network)
            #expect(try await Self.read(resolver) == Array("hello".utf8))
        }
        #expect(network.credentialFetches.withLock { $0 } == 1)
    }

    @Test("Nothing about S3 happens until an s3:// root is asked for; a malformed AWS setting is that call's error")
    func lazy() async throws {
        let network = Network()
        let mode = try ModeResolver.resolve(
            arguments: ["call", "--registry", "memory://local-lazy", "--auth", "iam"],
            environment: ["AWS_ENDPOINT_URL": "not a url", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"]
        ).0
        let resolver = BackendFactory.localWithS3(mode: mode, local: LocalStorageResolver(files: .allowed), transport: network)
        let memory = try resolver.storage(for: try RegistryURL.memory("local-lazy"))
        _ = try await memory.put("k", bytes: [1], contentType: nil, metadata: [:])
        #expect(network.credentialFetches.withLock { $0 } == 0)
        var failure: QuiltOpsError?
        do { _ = try resolver.storage(for: try RegistryURL.s3("some-bucket")) } catch { failure = error }
        #expect(failure?.kind == "invalid_input" && failure?.message.contains("AWS_ENDPOINT_URL") == true, "\(String(describing: failure))")
    }

    @Test("Different settings or another transport get their own client")
    func keyedBySettings() throws {
        let network = Network()
        let west = try #require(BackendFactory.localS3Key(mode: try Self.mode(region: "eu-west-1"), transport: network))
        let east = try #require(BackendFactory.localS3Key(mode: try Self.mode(region: "us-east-1"), transport: network))
        let other = try #require(BackendFactory.localS3Key(mode: try Self.mode(region: "eu-west-1"), transport: Network()))
        #expect(west != east && west != other)
        #expect(BackendFactory.localS3Key(mode: try Self.mode(region: "eu-west-1"), transport: network) == west)
        #expect(!west.contains("ASIA") && !west.contains("169.254"), "the key is a digest, not the settings")
    }
}
