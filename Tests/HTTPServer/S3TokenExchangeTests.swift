import FakeCatalog
import Foundation
import QuiltJSON
import Testing

/// auth=jwt over an `s3://` registry on the registry API: the HTTP server exchanges each caller's bearer token for
/// AWS credentials at the catalog's `/api/auth/get_credentials` (the fake catalog, which also serves the S3 those
/// credentials unlock) — per caller, and once per token rather than once per request.
@Suite("Streamable HTTP, auth=jwt over an s3:// registry: per-request token exchange")
struct S3TokenExchangeTests {
    static func call(_ server: HTTPServerProcess, _ tool: String, _ args: JSONValue, token: String) async throws -> JSONValue {
        let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(tool, args)), token: token)
        #expect(reply.status == 200, "\(reply.text)")
        return reply.result ?? .null
    }

    @Test("Each caller's token is exchanged once and its credentials reach S3; a token the catalog refuses is unauthenticated")
    func exchange() async throws {
        let fake = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["jwt-bucket"]))
        defer { fake.stop() }
        let alice = try await fake.mintToken(subject: "alice")
        let bob = try await fake.mintToken(subject: "bob")
        let arguments = [
            "--api", "registry", "--auth", "jwt", "--state", "stateless", "--tenancy", "multi", "--registry", "s3://jwt-bucket",
            "--catalog-url", fake.url,
        ]
        try await withHTTPServer(arguments, env: ["AWS_ENDPOINT_URL_S3": fake.s3Endpoint, "AWS_REGION": "us-east-1"]) { server, _ in
            let created = try await Self.call(
                server, "package_create", ["package_name": "alice/s3jwt", "entries": [["logical_key": "a.txt", "text": "from alice"]]],
                token: alice)
            #expect(created["isError"] == false, "\(created)")
            let hash = try #require(created["structuredContent"]?["top_hash"]?.stringValue)
            for _ in 0..<3 {
                for token in [alice, bob] {
                    let info = try await Self.call(server, "package_info", ["package_name": "alice/s3jwt"], token: token)
                    #expect(info["structuredContent"]?["top_hash"]?.stringValue == hash, "\(info)")
                }
            }
            let text = try await Self.call(server, "bucket_object_text", ["s3_uri": "s3://jwt-bucket/.quilt/named_packages/alice/s3jwt/latest"], token: bob)
            #expect(text["structuredContent"]?["text"]?.stringValue == hash)
            #expect(fake.log.count("GET /api/auth/get_credentials") == 2, "\(fake.log.all)")

            let status = try await authStatus(server, token: bob)
            #expect(status["method"] == "jwt" && status["identity"] == "bob" && status["authenticated"] == true, "\(status)")

            let forged = TokenMint.hs256(TokenMint.claims(sub: "mallory"))
            let refused = try await Self.call(server, "package_info", ["package_name": "alice/s3jwt"], token: forged)
            #expect(refused["isError"] == true && refused["structuredContent"]?["error"]?["kind"] == "unauthenticated", "\(refused)")
        }
    }
}
