import FakeCatalog
import Foundation
import NIOHTTP1
import QuiltJSON
import Testing

/// A stateless multi-tenant deployment with HS256 verification, issuer and audience checks.
let hs256Arguments = [
    "--auth", "jwt", "--tenancy", "multi", "--state", "stateless", "--registry", "memory://jwt",
    "--jwt-issuer", "https://issuer.test", "--jwt-audience", "quilt-mcp",
]
let hs256Env = ["QUILT_MCP_JWT_SECRET": TokenMint.secret]

/// Claims that pass every check of ``hs256Arguments``.
func goodClaims(_ sub: String = "alice", _ extra: JSONObject = [:]) -> JSONObject {
    var c = TokenMint.claims(sub: sub, extra: ["iss": "https://issuer.test", "aud": "quilt-mcp"])
    for (k, v) in extra { c[k] = v }
    return c
}

/// POSTs a ping with `authorization` as the raw header value (nil: no header).
func ping(_ server: HTTPServerProcess, authorization: String?) async throws -> HTTPReply {
    var headers: [String: String] = [:]
    if let authorization { headers["Authorization"] = authorization }
    return try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "ping"), headers: headers)
}

/// Checks a 401 with its challenge and JSON-RPC error body.
func expectRefused(_ reply: HTTPReply, _ code: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status == 401, sourceLocation: sourceLocation)
    let challenge = reply.headers["www-authenticate"] ?? ""
    #expect(challenge.hasPrefix("Bearer realm=\"quilt-mcp\", error=\"\(code)\", error_description=\""), "\(challenge)",
            sourceLocation: sourceLocation)
    #expect(challenge.contains(text), "\(challenge)", sourceLocation: sourceLocation)
    #expect(reply.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
    #expect(reply.json?["error"]?["code"]?.intValue == -32001, sourceLocation: sourceLocation)
    #expect(reply.json?["error"]?["data"]?["kind"] == "unauthenticated", sourceLocation: sourceLocation)
    #expect(reply.json?["error"]?["message"]?.stringValue?.contains(text) == true, sourceLocation: sourceLocation)
}

@Suite("JWT over HTTP: bearer required, HS256 verified, hostile tokens refused")
struct JWTHTTPTests {
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var authorization: @Sendable () -> String?
        var code: String
        var text: String
        var testDescription: String { name }
    }

    static let now = Date().timeIntervalSince1970
    static let refusals: [Refusal] = [
        Refusal(name: "no Authorization header", authorization: { nil }, code: "invalid_request", text: "requires Authorization: Bearer"),
        Refusal(name: "Basic scheme", authorization: { "Basic YWxpY2U6cHc=" }, code: "invalid_request", text: "not Bearer <token>"),
        Refusal(name: "empty bearer", authorization: { "Bearer " }, code: "invalid_request", text: "not Bearer <token>"),
        Refusal(name: "not a JWT", authorization: { "Bearer abc.def" }, code: "invalid_token", text: "not a JWT"),
        Refusal(name: "wrong secret", authorization: { "Bearer " + TokenMint.hs256(goodClaims(), secret: "another-secret-of-enough-length-0123456789") },
                code: "invalid_token", text: "signature does not verify"),
        Refusal(name: "alg none", authorization: { "Bearer " + TokenMint.unsigned(goodClaims()) }, code: "invalid_token", text: "alg none is refused"),
        Refusal(name: "HS384", authorization: { "Bearer " + TokenMint.hs256(goodClaims(), header: ["alg": "HS384"]) },
                code: "invalid_token", text: "accepts HS256 only"),
        Refusal(name: "RS256 header on an HS256 deployment", authorization: { "Bearer " + TokenMint.hs256(goodClaims(), header: ["alg": "RS256"]) },
                code: "invalid_token", text: "accepts HS256 only"),
        Refusal(name: "expired", authorization: { "Bearer " + TokenMint.hs256(goodClaims("alice", ["exp": .number(JSONNumber(Int(now) - 120))])) },
                code: "invalid_token", text: "the token expired at"),
        Refusal(name: "no exp", authorization: { "Bearer " + TokenMint.hs256(["sub": "alice", "iss": "https://issuer.test", "aud": "quilt-mcp"]) },
                code: "invalid_token", text: "no exp claim"),
        Refusal(name: "not yet valid", authorization: { "Bearer " + TokenMint.hs256(goodClaims("alice", ["nbf": .number(JSONNumber(Int(now) + 300))])) },
                code: "invalid_token", text: "not valid before"),
        Refusal(name: "wrong issuer", authorization: { "Bearer " + TokenMint.hs256(goodClaims("alice", ["iss": "https://evil.test"])) },
                code: "invalid_token", text: "iss claim is not https://issuer.test"),
        Refusal(name: "wrong audience", authorization: { "Bearer " + TokenMint.hs256(goodClaims("alice", ["aud": .array(["other", "x"])])) },
                code: "invalid_token", text: "aud claim does not name quilt-mcp"),
        Refusal(name: "no tenant claim", authorization: { "Bearer " + TokenMint.hs256(["exp": .number(JSONNumber(Int(now) + 600)), "iss": "https://issuer.test", "aud": "quilt-mcp"]) },
                code: "invalid_token", text: "names no tenant"),
        Refusal(name: "crit header", authorization: { "Bearer " + TokenMint.hs256(goodClaims(), header: ["alg": "HS256", "crit": ["exp"]]) },
                code: "invalid_token", text: "crit parameters"),
    ]

    @Test("Each bad or hostile request is 401 with WWW-Authenticate (error, error_description) and a JSON error")
    func refusals() async throws {
        try await withHTTPServer(hs256Arguments, env: hs256Env) { server, _ in
            for refusal in Self.refusals {
                let reply = try await ping(server, authorization: refusal.authorization())
                expectRefused(reply, refusal.code, refusal.text)
            }
            #expect(!server.stderrText.contains(TokenMint.secret))
        }
    }

    @Test("Valid tokens pass, including within the 30 s leeway and with aud as an array; /health needs none")
    func accepted() async throws {
        try await withHTTPServer(hs256Arguments, env: hs256Env) { server, _ in
            // Minted just before each request: on a loaded machine the leeway cases must not age past it in a queue.
            let now: @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
            let tokens: [@Sendable () -> String] = [
                { TokenMint.hs256(goodClaims()) },
                { TokenMint.hs256(goodClaims("alice", ["exp": .number(JSONNumber(now() - 10))])) },
                { TokenMint.hs256(goodClaims("alice", ["nbf": .number(JSONNumber(now() + 10))])) },
                { TokenMint.hs256(goodClaims("alice", ["aud": .array(["other", "quilt-mcp"])])) },
                { TokenMint.hs256(goodClaims("carol", ["tenant": "team-c"])) },
            ]
            for token in tokens {
                let reply = try await ping(server, authorization: "bearer \(token())")
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.result == [:])
            }
            let health = try await MCPHTTP.send(server.url("/health"), method: .GET)
            #expect(health.status == 200)
            #expect(health.json?["mode"] != nil && health.json?["mode"]?["jwt_verification"] == nil)
            #expect(!health.text.contains(TokenMint.secret))
        }
    }

    @Test("Without local verification a JWT is still required, passed on unverified, and its claims shown")
    func unverified() async throws {
        // No key here: only a registry the catalog guards (tokens are exchanged there) may run without one.
        let fake = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["unverified-bucket"]))
        defer { fake.stop() }
        let arguments = ["--auth", "jwt", "--state", "stateless", "--registry", "s3://unverified-bucket", "--catalog-url", fake.url]
        try await withHTTPServer(arguments, env: ["AWS_ENDPOINT_URL_S3": fake.s3Endpoint, "AWS_REGION": "us-east-1"]) { server, _ in
            expectRefused(try await ping(server, authorization: nil), "invalid_request", "requires Authorization")
            expectRefused(try await ping(server, authorization: "Bearer opaque-token"), "invalid_token", "not a JWT")
            let token = TokenMint.hs256(TokenMint.claims(sub: "dave"), secret: "any-secret-the-catalog-knows-000000000")
            let status = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "resources/read", ["uri": "auth://status"]), token: token)
            let text = try #require(status.result?["contents"]?[0]?["text"]?.stringValue)
            let body = try JSONParser.parse(text)
            // Passed on, unverified: the claims name the caller, and the catalog (which does not know the signer) refuses it.
            #expect(body["identity"] == "dave", "\(body)")
            #expect(body["authenticated"] == false, "\(body)")
        }
    }
}
