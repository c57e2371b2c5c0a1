import FakeCatalog
import Foundation
import NIOHTTP1
import QuiltJSON
import Testing

/// Bounds and fairness under hostile and heavy traffic: past every bound the answer is a typed error or an HTTP
/// status with `Retry-After`, and the server stays up.
@Suite("Hostile callers of the remote shapes: bounded bodies, objects, memory, concurrency; hostile bytes and tokens")
struct HostileBoundsTests {
    static let memoryArguments = ["--mode", "remote", "--api", "registry", "--registry", "memory://bounded"]
    static let secretEnv = ["QUILT_MCP_JWT_SECRET": TokenMint.secret]

    static func call(_ server: HTTPServerProcess, _ token: String, _ tool: String, _ arguments: JSONValue) async throws -> JSONValue {
        let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(tool, arguments)), token: token)
        return reply.result ?? reply.message ?? .null
    }

    static func kind(_ result: JSONValue) -> String? { result["structuredContent"]?["error"]?["kind"]?.stringValue }

    @Test("A body over max_request_bytes is 413 and nothing is read past it; the next request is served")
    func oversizedBody() async throws {
        let token = TokenMint.hs256(TokenMint.claims(sub: "big"))
        try await withHTTPServer(Self.memoryArguments + ["--max-request-bytes", "64K"], env: Self.secretEnv) { server, _ in
            let text = String(repeating: "x", count: 100_000)
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "big/one", "entries": [["logical_key": "x", "text": .string(text)]]])), token: token)
            #expect(reply.status == 413, "\(reply.status) \(reply.text.prefix(200))")
            let small = try await Self.call(server, token, "packages_list", [:])
            #expect(small["isError"] == false)
        }
    }

    @Test("A tenant's memory:// registries are bounded by tenant_memory_bytes: too_large, other tenants unaffected")
    func tenantMemory() async throws {
        let greedy = TokenMint.hs256(TokenMint.claims(sub: "greedy"))
        let modest = TokenMint.hs256(TokenMint.claims(sub: "modest"))
        try await withHTTPServer(Self.memoryArguments + ["--tenant-memory-bytes", "256K"], env: Self.secretEnv) { server, _ in
            let chunk = String(repeating: "g", count: 100_000)
            var refused: JSONValue = .null
            for i in 0..<5 {
                let result = try await Self.call(server, greedy, "bucket_objects_put", [
                    "bucket": "memory://bounded", "items": [["key": .string("blob-\(i)"), "text": .string(chunk)]]])
                if result["structuredContent"]?["failed"]?.intValue == 1 { refused = result; break }
            }
            let error = refused["structuredContent"]?["results"]?[0]?["error"]?.stringValue ?? ""
            #expect(error.contains("Too large") && error.contains("QUILT_MCP_TENANT_MEMORY_BYTES"), "\(refused)")
            let created = try await Self.call(server, modest, "package_create", [
                "package_name": "modest/pkg", "entries": [["logical_key": "a", "text": .string(String(repeating: "m", count: 100_000))]]])
            #expect(created["isError"] == false, "\(created)")
        }
    }

    @Test("A huge object planted where a pointer belongs is refused as too_large, not loaded")
    func plantedPointer() async throws {
        let fake = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["bounds-bucket"]))
        defer { fake.stop() }
        let token = try await fake.mintToken(subject: "planter")
        let arguments = ["--mode", "remote", "--api", "registry", "--catalog-url", fake.url, "--registry", "s3://bounds-bucket",
                         "--max-object-bytes", "1M"]
        let env = ["AWS_ENDPOINT_URL_S3": fake.s3Endpoint, "AWS_REGION": "us-east-1"]
        try await withHTTPServer(arguments, env: env) { server, _ in
            let big = String(repeating: "f", count: 2 << 20)
            let planted = try await Self.call(server, token, "bucket_objects_put", [
                "items": [["key": ".quilt/named_packages/huge/pointer/latest", "text": .string(big)]]])
            #expect(planted["structuredContent"]?["uploaded"]?.intValue == 1, "\(planted)")
            let info = try await Self.call(server, token, "package_info", ["package_name": "huge/pointer"])
            #expect(Self.kind(info) == "too_large", "\(info)")
            // A whole-object read larger than max_object_bytes: too_large, naming the setting.
            let text = try await Self.call(server, token, "bucket_object_text", [
                "s3_uri": "s3://bounds-bucket/.quilt/named_packages/huge/pointer/latest", "max_bytes": .number(JSONNumber(2 << 20))])
            #expect(Self.kind(text) == "too_large", "\(text)")
            #expect(text["structuredContent"]?["error"]?["hint"]?.stringValue?.contains("QUILT_MCP_MAX_OBJECT_BYTES") == true, "\(text)")
            #expect(server.isRunning)
        }
    }

    @Test("Past max_caller_requests a caller gets 429, past max_requests everyone gets 503, both with Retry-After")
    func concurrency() async throws {
        let tokens = (0..<3).map { TokenMint.hs256(TokenMint.claims(sub: "c\($0)")) }
        try await withHTTPServer(
            Self.memoryArguments + ["--max-caller-requests", "2", "--max-requests", "4"], env: Self.secretEnv
        ) { server, _ in
            // Slow calls: each creates a package from many inline entries, long enough to overlap.
            let entries = JSONValue.array((0..<3000).map { .object(["logical_key": .string("f\($0)"), "text": "x"]) })
            let statuses = try await withThrowingTaskGroup(of: (Int, Int, String?).self) { group in
                for (n, token) in tokens.enumerated() {
                    for i in 0..<4 {
                        group.addTask {
                            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(i, "tools/call", MCPHTTP.call(
                                "package_create", ["package_name": .string("c\(n)/p\(i)"), "entries": entries])), token: token, timeout: 120)
                            return (n, reply.status, reply.headers["retry-after"])
                        }
                    }
                }
                var all: [(Int, Int, String?)] = []
                for try await s in group { all.append(s) }
                return all
            }
            let codes = statuses.map(\.1)
            #expect(codes.contains(429) || codes.contains(503), "\(codes)")
            for (_, status, retry) in statuses where status == 429 || status == 503 { #expect(retry == "1") }
            #expect(codes.allSatisfy { [200, 429, 503].contains($0) }, "\(codes)")
            // Afterwards everyone is served again.
            for token in tokens { #expect(try await Self.call(server, token, "packages_list", [:])["isError"] == false) }
        }
    }

    @Test("Deep JSON, invalid UTF-8, garbage and huge ids: a JSON-RPC error or 4xx, and the server stays up")
    func hostileBytes() async throws {
        let token = TokenMint.hs256(TokenMint.claims(sub: "bytes"))
        try await withHTTPServer(Self.memoryArguments, env: Self.secretEnv) { server, _ in
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let deepArgs = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"package_create","arguments":{"package_name":"d/d","metadata":"#
                + String(repeating: #"{"a":"#, count: 5000) + "1" + String(repeating: "}", count: 5000) + "}}}"
            var bodies: [Data] = [Data(deep.utf8), Data(deepArgs.utf8)]
            bodies.append(Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]))  // {"\xFF\xFE":1}
            bodies.append(Data(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"packages_list","arguments":{"registry":"\#u{0}"}}}"#.utf8))
            bodies.append(Data(#"{"jsonrpc":"2.0","id":"#.utf8) + Data(String(repeating: "9", count: 10_000).utf8) + Data(#","method":"ping"}"#.utf8))
            bodies.append(Data("\u{FEFF}garbage\u{0}".utf8))
            for body in bodies {
                let reply = try await MCPHTTP.send(server.url(), method: .POST, headers: [
                    "Content-Type": "application/json", "Accept": MCPHTTP.accept, "Authorization": "Bearer \(token)"], body: body)
                #expect((200..<500).contains(reply.status), "\(reply.status)")
                if reply.status == 200 { #expect(reply.message?["error"] != nil || reply.result?["isError"] == true, "\(reply.text.prefix(300))") }
                #expect(server.isRunning)
            }
            #expect(try await Self.call(server, token, "packages_list", [:])["isError"] == false)
        }
    }

    @Test("Hostile tokens are 401 before any work: alg none, another key, no signature, huge, expired, algorithm confusion")
    func hostileTokens() async throws {
        try await withHTTPServer(Self.memoryArguments, env: Self.secretEnv) { server, _ in
            let claims = TokenMint.claims(sub: "victim", extra: ["tenant": "victim"])
            let good = TokenMint.hs256(claims)
            let parts = good.split(separator: ".").map(String.init)
            let tokens = [
                TokenMint.unsigned(claims), TokenMint.hs256(claims, secret: "another-secret-0123456789abcdefghijkl"),
                parts[0] + "." + parts[1] + ".", parts[0] + "." + parts[1], String(repeating: "a", count: 60_000),
                TokenMint.hs256(TokenMint.claims(sub: "victim", expiresIn: -3600)),
                TokenMint.hs256(claims, header: ["alg": "RS256", "typ": "JWT"]),
                TokenMint.hs256(claims, header: ["alg": "HS256", "typ": "JWT", "crit": ["exp"]]),
            ]
            for token in tokens {
                let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call("packages_list", [:])), token: token)
                #expect([400, 401, 431].contains(reply.status), "\(reply.status) for \(token.prefix(40))")
                #expect(!reply.text.contains("victim"))
            }
            #expect(server.isRunning)
        }
    }

    @Test("/health says nothing about verification; auth://catalog/info shows no secret, path or verification setting")
    func nothingSecretAdjacent() async throws {
        let secretFile = NSTemporaryDirectory() + "quilt-mcp-secret-" + UUID().uuidString
        try Data(TokenMint.secret.utf8).write(to: URL(fileURLWithPath: secretFile))
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let token = TokenMint.hs256(TokenMint.claims(sub: "reader", extra: ["iss": "https://issuer.example"]))
        try await withHTTPServer(
            Self.memoryArguments + ["--jwt-secret-file", secretFile, "--jwt-issuer", "https://issuer.example"],
            env: ["AWS_SECRET_ACCESS_KEY": "aws-secret-value"]
        ) { server, _ in
            let health = try await MCPHTTP.send(server.url("/health"), method: .GET)
            #expect(health.status == 200)
            for hidden in ["verification", "hs256", "jwks", secretFile, "issuer"] {
                #expect(!health.text.lowercased().contains(hidden.lowercased()), "\(hidden) in /health: \(health.text)")
            }
            let info = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(3, "resources/read", ["uri": "auth://catalog/info"]), token: token)
            let text = info.result?["contents"]?[0]?["text"]?.stringValue ?? ""
            #expect(text.contains("\"tenancy\""), "\(info.text)")
            for hidden in [secretFile, "jwt_secret", "jwt_verification", "issuer.example", "AWS_SECRET_ACCESS_KEY", "aws-secret-value",
                           TokenMint.secret] {
                #expect(!text.contains(hidden), "\(hidden) in auth://catalog/info")
            }
        }
    }
}
