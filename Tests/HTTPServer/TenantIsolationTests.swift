import Foundation
import QuiltJSON
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

    @Test("Without verification, per-caller state is keyed by the token's SHA-256: two tokens never share it")
    func unverifiedKeyedByToken() async throws {
        let first = TokenMint.hs256(TokenMint.claims(sub: "same"), secret: "unknown-to-the-server-000000000000000")
        let second = TokenMint.hs256(TokenMint.claims(sub: "same", expiresIn: 999), secret: "unknown-to-the-server-000000000000000")
        try await withHTTPServer(Self.arguments) { server, _ in
            let seen = try await Self.interleave(server, [("first", first), ("second", second)], perCaller: 6)
            #expect(seen.count == 2)
            #expect(try await listedPackages(server, token: first).sorted() == (0..<6).map { "first/p\($0)" }.sorted())
            #expect(try await listedPackages(server, token: second).sorted() == (0..<6).map { "second/p\($0)" }.sorted())
            let status = try await authStatus(server, token: first)
            #expect(status["detail"]?.stringValue?.contains("not verified here") == true)
            #expect(status["detail"]?.stringValue?.contains(", tenant ") == false)
        }
    }
}
