import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltS3
import Testing

/// The quilt3 login session over a fake data directory and a scripted catalog.
@Suite("quilt3 session credentials")
struct Quilt3SessionTests {
    static let registry = "https://registry.example.com"

    /// A data directory as quilt3 leaves it after `quilt3 config` and `quilt3 login`.
    static func dataDirectory(expiresAt: Double, credentials: String? = nil) throws -> String {
        let dir = try temporaryDirectory("quilt3")
        try write(
            """
            apiGatewayEndpoint: null
            default_local_registry: file:///home/u/.local/share/Quilt/packages
            default_remote_registry: s3://quilt-example
            navigator_url: https://catalog.example.com/
            region: eu-west-1
            registryUrl: '\(registry)'
            telemetry_disabled: false
            """, to: dir + "/config.yml")
        try write(
            "{\"\(registry)\": {\"refresh_token\": \"old-refresh\", \"access_token\": \"old-access\", \"expires_at\": \(expiresAt)}, \"https://other\": {\"refresh_token\": \"keep\"}}",
            to: dir + "/auth.json")
        if let credentials { try write(credentials, to: dir + "/credentials.json") }
        return dir
    }

    static func catalog(_ calls: Counter? = nil) -> ScriptedTransport {
        ScriptedTransport { r throws(QuiltOpsError) in
            calls?.next()
            switch HTTPURL(r.url)?.path {
            case "/api/token":
                return QuiltHTTPResponse(
                    status: 200, headers: [HTTPField("content-type", "application/json")],
                    body: Array("{\"refresh_token\": \"new-refresh\", \"access_token\": \"new-access\", \"expires_at\": 4102444800.5}".utf8))
            case "/api/auth/get_credentials":
                guard r.header("authorization") == "Bearer new-access" || r.header("authorization") == "Bearer old-access" else {
                    return QuiltHTTPResponse(status: 401)
                }
                return QuiltHTTPResponse(
                    status: 200,
                    body: Array("{\"AccessKeyId\": \"ASIAQUILTSESSION0001\", \"SecretAccessKey\": \"qs\", \"SessionToken\": \"qt\", \"Expiration\": \"2099-01-01T00:00:00+00:00\"}".utf8))
            default:
                return QuiltHTTPResponse(status: 404)
            }
        }
    }

    @Test("config.yml is read like quilt3 writes it")
    func config() {
        let c = Quilt3Config.parse("navigator_url: https://c.example.com/\nregistryUrl: \"https://r.example.com\"\nregion: null\ndefault_remote_registry: s3://b # note\n")
        #expect(c.navigatorURL == "https://c.example.com" && c.registryURL == "https://r.example.com")
        #expect(c.region == nil && c.defaultRemoteRegistry == "s3://b")
    }

    @Test("An expired access token is refreshed, auth.json rewritten atomically with mode 0600, then exchanged for AWS credentials")
    func refreshAndExchange() async throws {
        let dir = try Self.dataDirectory(expiresAt: 1000)
        let t = Self.catalog()
        let c = try await Quilt3SessionCredentials(dataDirectory: dir, persistent: true, transport: t).credentials()
        #expect(c.accessKeyId == "ASIAQUILTSESSION0001" && c.sessionToken == "qt")
        #expect(t.requests.map { HTTPURL($0.url)?.path } == ["/api/token", "/api/auth/get_credentials"])
        let refresh = t.requests[0]
        #expect(refresh.method == "POST" && String(decoding: refresh.body, as: UTF8.self) == "refresh_token=old-refresh")
        #expect(refresh.header("authorization") == nil)
        #expect(t.requests[1].header("authorization") == "Bearer new-access")
        let auth = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/auth.json"))))
        #expect(auth[Self.registry]?["access_token"]?.stringValue == "new-access")
        #expect(auth["https://other"]?["refresh_token"]?.stringValue == "keep", "other registries are kept")
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/auth.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let saved = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/credentials.json"))))
        #expect(saved["access_key"]?.stringValue == "ASIAQUILTSESSION0001")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("Without persistence nothing is written back")
    func notPersistent() async throws {
        let dir = try Self.dataDirectory(expiresAt: 1000)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/auth.json"))
        _ = try await Quilt3SessionCredentials(dataDirectory: dir, persistent: false, transport: Self.catalog()).credentials()
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/auth.json")) == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/credentials.json"))
    }

    @Test("A valid access token is used as is; valid cached credentials need no request at all")
    func reuse() async throws {
        let later = Date().timeIntervalSince1970 + 7200
        let t = Self.catalog()
        _ = try await Quilt3SessionCredentials(dataDirectory: try Self.dataDirectory(expiresAt: later), persistent: true, transport: t).credentials()
        #expect(t.requests.map { HTTPURL($0.url)?.path } == ["/api/auth/get_credentials"])
        let cached = "{\"access_key\": \"ASIACACHEDQUILT00001\", \"secret_key\": \"c\", \"token\": \"t\", \"expiry_time\": \"2099-05-28T23:58:07+00:00\"}"
        let none = Self.catalog()
        let c = try await Quilt3SessionCredentials(
            dataDirectory: try Self.dataDirectory(expiresAt: 1000, credentials: cached), persistent: true, transport: none
        ).credentials()
        #expect(c.accessKeyId == "ASIACACHEDQUILT00001" && none.requests.isEmpty)
    }

    @Test("Not logged in is unauthenticated; auth=session then falls back to the AWS chain")
    func fallback() async throws {
        let empty = try temporaryDirectory("quilt3-empty")
        let session = Quilt3SessionCredentials(dataDirectory: empty, persistent: true, transport: Self.catalog())
        await #expect(throws: QuiltOpsError.self) { _ = try await session.credentials() }
        let chain = AWSCredentialChain(aws: ["AWS_ACCESS_KEY_ID": "AKIDFALLBACK", "AWS_SECRET_ACCESS_KEY": "f"], transport: Self.catalog())
        let both = FallbackCredentialsProvider([("quilt3 session", session), ("AWS credential chain", chain)])
        #expect(try await both.credentials().accessKeyId == "AKIDFALLBACK")
        #expect(await both.activeName == "AWS credential chain")
        let neither = FallbackCredentialsProvider([("quilt3 session", session), ("AWS credential chain", AWSCredentialChain(aws: ["AWS_EC2_METADATA_DISABLED": "true"], transport: Self.catalog()))])
        do {
            _ = try await neither.credentials()
        } catch {
            #expect(error.message.contains("quilt3 session: ") && error.message.contains("AWS credential chain: "))
        }
    }

    @Test("A refused refresh says to log in again")
    func refusedRefresh() async throws {
        let dir = try Self.dataDirectory(expiresAt: 1000)
        let t = ScriptedTransport { _ throws(QuiltOpsError) in QuiltHTTPResponse(status: 401, body: Array("{\"error\": \"bad token\"}".utf8)) }
        do {
            _ = try await Quilt3SessionCredentials(dataDirectory: dir, persistent: true, transport: t).credentials()
            Issue.record("expected unauthenticated")
        } catch {
            #expect(error.kind == "unauthenticated" && error.message.contains("quilt3 login"))
        }
    }

    @Test("A catalog bearer token (auth=jwt) is exchanged, discovering the registry from config.json")
    func jwtExchange() async throws {
        let t = ScriptedTransport { r throws(QuiltOpsError) in
            if r.url == "https://catalog.example.com/config.json" {
                return QuiltHTTPResponse(status: 200, body: Array("{\"registryUrl\": \"https://registry.example.com\"}".utf8))
            }
            return r.header("authorization") == "Bearer caller-jwt"
                ? QuiltHTTPResponse(status: 200, body: Array("{\"AccessKeyId\": \"ASIACATALOGTOKEN0001\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", \"Expiration\": \"2099-01-01T00:00:00Z\"}".utf8))
                : QuiltHTTPResponse(status: 401)
        }
        let c = try await CatalogTokenCredentials(registryURL: nil, catalogURL: "https://catalog.example.com/", token: { "caller-jwt" }, transport: t).credentials()
        #expect(c.accessKeyId == "ASIACATALOGTOKEN0001")
        #expect(t.requests.last?.url == "https://registry.example.com/api/auth/get_credentials")
    }
}
