import Foundation
import NIOHTTP1
import QuiltJSON
import Testing

/// RFC 9728 protected-resource metadata, the challenge that points to it, and scope checks on verified tokens.
@Suite("OAuth protected-resource metadata and scopes")
struct ProtectedResourceTests {
    static let arguments = hs256Arguments + [
        "--oauth-authorization-servers", "https://login.example.com,https://backup.example.com/realm",
        "--oauth-scopes", "quilt:read,quilt:write",
    ]

    @Test("The metadata lists the resource, its authorization servers and scopes, at both well-known paths")
    func metadata() async throws {
        try await withHTTPServer(Self.arguments + ["--resource-url", "https://mcp.example.com/mcp"], env: hs256Env) { server, _ in
            for path in ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"] {
                let url = server.url().replacingOccurrences(of: "/mcp", with: path)
                let reply = try await MCPHTTP.send(url, method: .GET)
                #expect(reply.status == 200 && reply.headers["content-type"] == "application/json", "\(path)")
                #expect(reply.json?["resource"] == "https://mcp.example.com/mcp")
                #expect(reply.json?["authorization_servers"] == ["https://login.example.com", "https://backup.example.com/realm"])
                #expect(reply.json?["scopes_supported"] == ["quilt:read", "quilt:write"])
                #expect(reply.json?["bearer_methods_supported"] == ["header"])
            }
        }
    }

    @Test("Without resource_url the resource is /mcp under the request's host; every 401 names the metadata and scopes")
    func challenge() async throws {
        try await withHTTPServer(Self.arguments, env: hs256Env) { server, _ in
            let metadataURL = server.url().replacingOccurrences(of: "/mcp", with: "/.well-known/oauth-protected-resource/mcp")
            let document = try await MCPHTTP.send(metadataURL, method: .GET)
            #expect(document.json?["resource"]?.stringValue == server.url())
            let refused = try await ping(server, authorization: nil)
            #expect(refused.status == 401)
            let challenge = refused.headers["www-authenticate"] ?? ""
            #expect(challenge.contains("resource_metadata=\"\(metadataURL)\""), "\(challenge)")
            #expect(challenge.contains("scope=\"quilt:read quilt:write\""), "\(challenge)")
        }
    }

    @Test("A verified token without every scope is 403 insufficient_scope; scope (string) or scp (array) grants them",
          arguments: [
            (JSONObject(), 403), (["scope": "quilt:read"] as JSONObject, 403), (["scope": "quilt:read quilt:write"] as JSONObject, 200),
            (["scp": ["quilt:write", "quilt:read"]] as JSONObject, 200),
            (["scope": "quilt:read", "scp": ["quilt:write"]] as JSONObject, 200),
            (["scope": ["quilt:read", "quilt:write"]] as JSONObject, 200), (["scope": "quilt:readquilt:write"] as JSONObject, 403),
          ] as [(JSONObject, Int)])
    func scopes(extra: JSONObject, status: Int) async throws {
        try await withHTTPServer(Self.arguments, env: hs256Env) { server, _ in
            let token = TokenMint.hs256(goodClaims("alice", extra))
            let reply = try await ping(server, authorization: "Bearer \(token)")
            #expect(reply.status == status, "\(reply.text.prefix(300))")
            if status == 403 {
                let challenge = reply.headers["www-authenticate"] ?? ""
                #expect(challenge.contains("error=\"insufficient_scope\""), "\(challenge)")
                #expect(challenge.contains("scope=\"quilt:read quilt:write\"") && challenge.contains("resource_metadata="), "\(challenge)")
                #expect(reply.json?["error"]?["data"]?["kind"] == "forbidden")
            }
        }
    }

    @Test("Deployments that take no tokens serve no metadata")
    func noMetadataWithoutJWT() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let url = server.url().replacingOccurrences(of: "/mcp", with: "/.well-known/oauth-protected-resource")
            let reply = try await MCPHTTP.send(url, method: .GET)
            #expect(reply.status == 404)
        }
    }
}
