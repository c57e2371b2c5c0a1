import FakeCatalog
import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// The package names `token`'s caller sees in the shared `memory://tenants` registry.
func listedPackages(_ server: HTTPServerProcess, token: String) async throws -> [String] {
    let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call("packages_list", [:])), token: token)
    #expect(reply.status == 200, "\(reply.text)")
    return reply.result?["structuredContent"]?["packages"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
}

/// `auth://status` as the caller `token` sees it.
func authStatus(_ server: HTTPServerProcess, token: String) async throws -> JSONValue {
    let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(2, "resources/read", ["uri": "auth://status"]), token: token)
    let text = reply.result?["contents"]?[0]?["text"]?.stringValue ?? "{}"
    return try JSONParser.parse(text)
}

@Suite("Tenants: interleaved concurrent requests never see each other's data or credentials")
struct TenantIsolationTests {
    static let arguments = ["--auth", "jwt", "--tenancy", "multi", "--state", "stateless", "--registry", "memory://tenants"]

    /// Each caller creates `perCaller` packages and reads its status, all callers' requests interleaved.
    static func interleave(_ server: HTTPServerProcess, _ callers: [(name: String, token: String)], perCaller: Int) async throws
        -> [String: [JSONValue]]
    {
        try await withThrowingTaskGroup(of: (String, [JSONValue]).self) { group in
            for round in 0..<perCaller {
                for caller in callers {
                    group.addTask {
                        let created = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(round, "tools/call", MCPHTTP.call(
                            "package_create", ["package_name": .string("\(caller.name)/p\(round)"),
                                               "entries": [["logical_key": "owner.txt", "text": .string(caller.name)]]])),
                            token: caller.token)
                        let status = try await authStatus(server, token: caller.token)
                        return (caller.name, [created.result ?? .null, status])
                    }
                }
            }
            var seen: [String: [JSONValue]] = [:]
            for try await (name, values) in group { seen[name, default: []] += values }
            return seen
        }
    }

    @Test("Verified tenants (sub claim): each sees only its own packages and its own identity; same tenant, new token: same data")
    func verified() async throws {
        let alice = TokenMint.hs256(TokenMint.claims(sub: "alice"))
        let bob = TokenMint.hs256(TokenMint.claims(sub: "bob"))
        let aliceAgain = TokenMint.hs256(TokenMint.claims(sub: "alice", expiresIn: 7200))
        try await withHTTPServer(Self.arguments, env: ["QUILT_MCP_JWT_SECRET": TokenMint.secret]) { server, _ in
            let seen = try await Self.interleave(server, [("alice", alice), ("bob", bob)], perCaller: 12)
            for (name, values) in seen {
                for value in values where value["isError"] != nil {
                    #expect(value["isError"] == false, "\(name): \(value)")
                }
                for status in values where status["method"] != nil {
                    #expect(status["identity"]?.stringValue == name, "\(name) saw \(status)")
                    #expect(status["detail"]?.stringValue?.contains("tenant \(name)") == true)
                }
            }
            let expected = { (name: String) in (0..<12).map { "\(name)/p\($0)" }.sorted() }
            #expect(try await listedPackages(server, token: alice).sorted() == expected("alice"))
            #expect(try await listedPackages(server, token: bob).sorted() == expected("bob"))
            #expect(try await listedPackages(server, token: aliceAgain).sorted() == expected("alice"))
            let bobBrowsesAlice = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(3, "tools/call", MCPHTTP.call(
                "package_browse", ["package_name": "alice/p0"])), token: bob)
            #expect(bobBrowsesAlice.result?["structuredContent"]?["error"]?["kind"] == "not_found")
        }
    }

    @Test("A tenant claim wins over sub; two subjects of one tenant share its data")
    func tenantClaim() async throws {
        let one = TokenMint.hs256(TokenMint.claims(sub: "u1", extra: ["tenant": "acme"]))
        let two = TokenMint.hs256(TokenMint.claims(sub: "u2", extra: ["tenant": "acme"]))
        let other = TokenMint.hs256(TokenMint.claims(sub: "u1", extra: ["tenant": "globex"]))
        try await withHTTPServer(Self.arguments, env: ["QUILT_MCP_JWT_SECRET": TokenMint.secret]) { server, _ in
            let created = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "acme/data", "entries": [["logical_key": "x", "text": "y"]]])), token: one)
            #expect(created.result?["isError"] == false)
            #expect(try await listedPackages(server, token: two) == ["acme/data"])
            #expect(try await listedPackages(server, token: other) == [])
        }
    }

    @Test("Without verification no caller gets memory:// registries: any string would get its own and evict real tenants'")
    func unverifiedGetsNoMemory() async throws {
        // A memory:// default registry without a key does not start (R16)…
        let refused = try Executables.run(Self.arguments, env: ["HOME": "/nonexistent", "PATH": "/usr/bin:/bin",
                                                               "QUILT_MCP_TRANSPORT": "http"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("[R16]"), "\(refused.stderr)")
        // …and where tokens are exchanged at the catalog instead, a memory:// registry named in a call is refused.
        let fake = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["tenants-bucket"]))
        defer { fake.stop() }
        let token = try await fake.mintToken(subject: "someone")
        let arguments = ["--auth", "jwt", "--tenancy", "multi", "--state", "stateless", "--registry", "s3://tenants-bucket",
                         "--catalog-url", fake.url]
        try await withHTTPServer(arguments, env: ["AWS_ENDPOINT_URL_S3": fake.s3Endpoint, "AWS_REGION": "us-east-1"]) { server, _ in
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "a/b", "registry": "memory://mine", "entries": [["logical_key": "x", "text": "y"]]])),
                token: token)
            #expect(reply.result?["structuredContent"]?["error"]?["kind"] == "forbidden", "\(reply.text)")
            #expect(reply.result?["structuredContent"]?["error"]?["message"]?.stringValue?.contains("verified tenant") == true)
            let own = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(2, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "a/b", "entries": [["logical_key": "x", "text": "y"]]])), token: token)
            #expect(own.result?["isError"] == false, "\(own.text)")
        }
    }

    @Test("A sub never names another caller's tenant: {sub: acme} and {tenant: acme} are two tenants")
    func claimKindsDoNotCollide() async throws {
        let viaTenant = TokenMint.hs256(TokenMint.claims(sub: "u1", extra: ["tenant": "acme"]))
        let viaSub = TokenMint.hs256(TokenMint.claims(sub: "acme"))
        try await withHTTPServer(Self.arguments, env: ["QUILT_MCP_JWT_SECRET": TokenMint.secret]) { server, _ in
            let created = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "acme/secret", "entries": [["logical_key": "x", "text": "y"]]])), token: viaTenant)
            #expect(created.result?["isError"] == false)
            #expect(try await listedPackages(server, token: viaSub) == [])
            #expect(try await listedPackages(server, token: viaTenant) == ["acme/secret"])
        }
    }
}
