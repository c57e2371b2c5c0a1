import Foundation
import QuiltBackends
import QuiltContract
import QuiltHTTP
import QuiltMode
import Synchronization
import Testing

/// `BackendFactory` builds the S3 backend from a resolved `Mode` with the credentials `mode.auth` asks for; the
/// network is a scripted transport.
@Suite("Factory: S3 registries")
struct FactoryS3Tests {
    final class Transport: HTTPTransport {
        let seen = Mutex<[QuiltHTTPRequest]>([])
        let answer: @Sendable (QuiltHTTPRequest) -> QuiltHTTPResponse
        init(_ answer: @escaping @Sendable (QuiltHTTPRequest) -> QuiltHTTPResponse) { self.answer = answer }
        func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
            seen.withLock { $0.append(request) }
            if request.url.hasPrefix("http://169.254.") { throw .remote("no metadata service here", retryable: true) }
            return answer(request)
        }
        var requests: [QuiltHTTPRequest] { seen.withLock { $0 } }
    }

    static let listing = """
        <ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>\
        <Contents><Key>.quilt/named_packages/alice/one/1795282874</Key><Size>64</Size></Contents>\
        <Contents><Key>.quilt/named_packages/alice/one/latest</Key><Size>64</Size></Contents>\
        <Contents><Key>.quilt/named_packages/bob/two/latest</Key><Size>64</Size></Contents></ListBucketResult>
        """

    static func mode(_ args: [String], _ env: [String: String]) throws -> Mode {
        try ModeResolver.resolve(arguments: ["call"] + args, environment: env).0
    }

    @Test("auth=iam: the AWS chain signs requests to the configured endpoint; writes follow read-only")
    func iam() async throws {
        let t = Transport { _ in QuiltHTTPResponse(status: 200, body: Array(Self.listing.utf8)) }
        let mode = try Self.mode(
            ["--registry", "s3://quilt-bucket", "--auth", "iam", "--read-only"],
            ["AWS_ACCESS_KEY_ID": "AKIDFACTORY", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_REGION": "eu-west-1"])
        let ops = try BackendFactory.makeS3(mode: mode, registry: try RegistryURL.s3("quilt-bucket"), transport: t)
        #expect(ops.backendID == "s3")
        #expect(ops.capabilities.contains(.presign) && !ops.capabilities.contains(.packageWrite))
        let page = try await ops.listPackages(registry: try RegistryURL.s3("quilt-bucket"), prefix: "", page: .first)
        #expect(page.items.map(\.name.rawValue) == ["alice/one", "bob/two"])
        let r = try #require(t.requests.first)
        #expect(r.url.hasPrefix("http://127.0.0.1:9/quilt-bucket?list-type=2"))
        #expect(r.header("authorization")?.contains("Credential=AKIDFACTORY/") == true)
        #expect(r.header("authorization")?.contains("/eu-west-1/s3/") == true)
        let status = try await ops.authStatus()
        #expect(status.authenticated && status.method == "aws-iam" && status.detail.contains("environment"))
    }

    @Test("Links for a listing's objects are signatures only: one LIST, no request per object")
    func listedObjectLinks() async throws {
        let t = Transport { _ in QuiltHTTPResponse(status: 200, body: Array(Self.listing.utf8)) }
        let mode = try Self.mode(
            ["--registry", "s3://quilt-bucket", "--auth", "iam"],
            ["AWS_ACCESS_KEY_ID": "AKIDLINKS", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_REGION": "eu-west-1"])
        let bucket = try RegistryURL.s3("quilt-bucket")
        let ops = try BackendFactory.makeS3(mode: mode, registry: bucket, transport: t)
        let listing = try await ops.listObjects(ObjectListRequest(root: bucket, prefix: ".quilt/", delimiter: nil))
        #expect(listing.objects.count == 3)
        let links = await ops.linkListedObjects(listing.objects.map(\.key), expiresIn: 60)
        #expect(t.requests.count == 1, "\(t.requests.map { "\($0.method) \($0.url)" })")
        #expect(Set(links.keys) == Set(listing.objects.map(\.key)))
        for (key, link) in links {
            #expect(link.kind == .presigned)
            #expect(link.url.hasPrefix("http://127.0.0.1:9/quilt-bucket/" + key.path + "?"))
            #expect(link.url.contains("X-Amz-Expires=60") && link.url.contains("X-Amz-Credential=AKIDLINKS%2F"))
        }
        // A local file (this local mode lets callers reach them) is its own location; a memory:// key is beyond an
        // S3 backend. Neither asks anything.
        let file = try PhysicalKey("file:///tmp/x.csv"), memory = try PhysicalKey("memory://elsewhere/x.csv")
        let other = await ops.linkListedObjects([file, memory], expiresIn: 60)
        #expect(other[file]?.kind == .local && other[file]?.url == "file:///tmp/x.csv" && other[memory] == nil)
        #expect(t.requests.count == 1)
    }

    @Test("auth=session without a quilt3 login falls back to the AWS chain")
    func sessionFallback() async throws {
        let home = NSTemporaryDirectory() + "quilt-factory-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let t = Transport { _ in QuiltHTTPResponse(status: 200, body: Array(Self.listing.utf8)) }
        let mode = try Self.mode(
            ["--registry", "s3://quilt-bucket"],
            ["HOME": home, "AWS_ACCESS_KEY_ID": "AKIDCHAIN", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        #expect(mode.auth == .session)
        let ops = try BackendFactory.make(mode: mode)
        #expect(ops.backendID == "s3")
        let fake = try BackendFactory.makeS3(mode: mode, registry: try RegistryURL.s3("quilt-bucket"), transport: t)
        _ = try await fake.listPackages(registry: try RegistryURL.s3("quilt-bucket"), prefix: "", page: .first)
        #expect(t.requests.last?.header("authorization")?.contains("Credential=AKIDCHAIN/") == true)
        let status = try await fake.authStatus()
        #expect(status.method == "quilt3-session" && status.authenticated)
    }

    @Test("auth=jwt: the configured token is exchanged at the registry API for AWS credentials")
    func jwt() async throws {
        let t = Transport { r in
            if r.url == "https://registry.example.com/api/auth/get_credentials" {
                return QuiltHTTPResponse(
                    status: 200,
                    body: Array("{\"AccessKeyId\": \"ASIAJWTEXCHANGED0001\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", \"Expiration\": \"2099-01-01T00:00:00Z\"}".utf8))
            }
            return QuiltHTTPResponse(status: 200, body: Array(Self.listing.utf8))
        }
        let mode = try Self.mode(
            ["--registry", "s3://quilt-bucket", "--auth", "jwt", "--registry-api-url", "https://registry.example.com"],
            ["QUILT_MCP_JWT_TOKEN": "header.payload.signature", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        let ops = try BackendFactory.makeS3(mode: mode, registry: try RegistryURL.s3("quilt-bucket"), bearerToken: mode.jwtToken, transport: t)
        _ = try await ops.listPackages(registry: try RegistryURL.s3("quilt-bucket"), prefix: "", page: .first)
        #expect(t.requests.first?.header("authorization") == "Bearer header.payload.signature")
        #expect(t.requests.last?.header("authorization")?.contains("Credential=ASIAJWTEXCHANGED0001/") == true)
        #expect(t.requests.last?.header("x-amz-security-token") == "t")
    }

    @Test("A malformed endpoint variable is an invalid-input error naming it")
    func badEndpoint() throws {
        let mode = try Self.mode(["--registry", "s3://quilt-bucket", "--auth", "iam"], ["AWS_ENDPOINT_URL_S3": "localhost:9000"])
        #expect(throws: QuiltOpsError.invalidInput(field: "AWS_ENDPOINT_URL_S3", reason: "'localhost:9000' is not an http(s) URL (e.g. http://127.0.0.1:9000).")) {
            _ = try BackendFactory.make(mode: mode)
        }
    }
}
