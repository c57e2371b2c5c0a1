import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// The stateless (remote) endpoint in the 2026-07-28 era: one exchange per POST, the envelope and the routing headers
/// checked against the body, the revision's statuses, JSON unless something is sent before the answer.
@Suite("Streamable HTTP, stateless, 2026-07-28")
struct ModernHTTPTests {
    static let meta: JSONValue = [
        "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
    ]

    static func request(_ id: Int, _ method: String, _ params: JSONObject = [:], meta: JSONValue? = meta) -> JSONValue {
        var params = params
        if let meta { params["_meta"] = meta }
        return MCPHTTP.rpc(id, method, .object(params))
    }

    static func headers(_ method: String, name: String? = nil, version: String = "2026-07-28") -> [String: String] {
        var headers = ["MCP-Protocol-Version": version, "Mcp-Method": method]
        if let name { headers["Mcp-Name"] = name }
        return headers
    }

    @Test("A request whose headers agree with its body is answered as JSON with resultType and caching hints")
    func answered() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let listed = try await MCPHTTP.post(server.url(), Self.request(1, "tools/list"), headers: Self.headers("tools/list"))
            #expect(listed.status == 200 && listed.headers["content-type"] == "application/json")
            #expect(listed.headers["mcp-session-id"] == nil)
            #expect(listed.result?["resultType"] == "complete" && listed.result?["cacheScope"] == "public")
            #expect(listed.result?["tools"]?.arrayValue?.isEmpty == false)
            let call = Self.request(2, "tools/call", ["name": "packages_list", "arguments": [:]])
            let called = try await MCPHTTP.post(server.url(), call, headers: Self.headers("tools/call", name: "packages_list"))
            #expect(called.status == 200 && called.result?["isError"] == false && called.result?["resultType"] == "complete")
            let discovered = try await MCPHTTP.post(server.url(), Self.request(3, "server/discover"), headers: Self.headers("server/discover"))
            #expect(discovered.result?["supportedVersions"] == ["2026-07-28"])
        }
    }

    @Test("Routing headers that disagree with the body are 400 / -32020; the checks run in the revision's order",
          arguments: [
            ("tools/call", "tools/call", "2026-07-28", "packages_list", true, 200, 0),
            ("tools/list", "tools/call", "2026-07-28", "", true, 400, -32020),  // Mcp-Method differs
            ("tools/call", "tools/call", "2026-07-28", "package_info", true, 400, -32020),  // Mcp-Name differs
            ("tools/list", "tools/list", "2025-99-99", "", true, 400, -32020),  // version header differs from _meta
            ("tools/list", "tools/list", "2026-07-28", "", false, 400, -32602),  // no _meta at all: first rung
          ])
    func headerLadder(method: String, headerMethod: String, version: String, name: String, withMeta: Bool, status: Int, code: Int)
        async throws
    {
        try await withHTTPServer(statelessArguments) { server, _ in
            var params: JSONObject = [:]
            if method == "tools/call" { params = ["name": "packages_list", "arguments": [:]] }
            let body = Self.request(1, method, params, meta: withMeta ? Self.meta : nil)
            let reply = try await MCPHTTP.post(
                server.url(), body, headers: Self.headers(headerMethod, name: name.isEmpty ? nil : name, version: version))
            #expect(reply.status == status, "\(reply.text.prefix(300))")
            if code != 0 { #expect(reply.message?["error"]?["code"]?.intValue == code, "\(reply.text.prefix(300))") }
        }
    }

    @Test("An unserved version is 400 / -32022 naming both; an unknown method 404; a notification 202; a batch 400")
    func statuses() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let future: JSONValue = ["io.modelcontextprotocol/protocolVersion": "2099-01-01", "io.modelcontextprotocol/clientCapabilities": [:]]
            let unserved = try await MCPHTTP.post(
                server.url(), Self.request(1, "tools/list", meta: future), headers: Self.headers("tools/list", version: "2099-01-01"))
            #expect(unserved.status == 400 && unserved.message?["error"]?["code"] == -32022)
            #expect(unserved.message?["error"]?["data"] == ["supported": ["2026-07-28"], "requested": "2099-01-01"])
            let unknown = try await MCPHTTP.post(server.url(), Self.request(2, "no/such"), headers: Self.headers("no/such"))
            #expect(unknown.status == 404 && unknown.message?["error"]?["code"] == -32601)
            // As the Python SDK's reference server: the handshake does not exist in 2026-07-28 over HTTP.
            let handshake = try await MCPHTTP.post(
                server.url(), Self.request(5, "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:]]),
                headers: Self.headers("initialize"))
            #expect(handshake.status == 404 && handshake.message?["error"]?["code"] == -32601, "\(handshake.text.prefix(200))")
            let note = try await MCPHTTP.post(
                server.url(), MCPHTTP.notification("notifications/initialized", ["_meta": Self.meta]),
                headers: Self.headers("notifications/initialized"))
            #expect(note.status == 202)
            let batch = try await MCPHTTP.post(server.url(), [Self.request(3, "tools/list")], headers: Self.headers("tools/list"))
            #expect(batch.status == 400 && batch.message?["error"]?["code"] == -32600)
            let missing = try await MCPHTTP.post(
                server.url(), Self.request(4, "resources/read", ["uri": "auth://nope"]), headers: Self.headers("resources/read", name: "auth://nope"))
            #expect(missing.status == 400 && missing.message?["error"]?["code"] == -32602)
        }
    }

    @Test("X-Quilt-Toolsets narrows one request's tools (never widens the deployment's); an unknown set is -32602")
    func toolsetsHeader() async throws {
        try await withHTTPServer(statelessArguments + ["--toolsets", "packages,search"]) { server, _ in
            func list(_ header: String?) async throws -> [String] {
                var headers = Self.headers("tools/list")
                if let header { headers["X-Quilt-Toolsets"] = header }
                let reply = try await MCPHTTP.post(server.url(), Self.request(1, "tools/list"), headers: headers)
                return reply.result?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            }
            #expect(try await list(nil).count == 9)
            #expect(try await list("search") == ["search_catalog"])
            #expect(try await list("search,objects") == ["search_catalog"])  // objects is not the deployment's
            #expect(try await list("all").count == 9)
            var headers = Self.headers("tools/call", name: "packages_list")
            headers["X-Quilt-Toolsets"] = "search"
            let refused = try await MCPHTTP.post(
                server.url(), Self.request(2, "tools/call", ["name": "packages_list", "arguments": [:]]), headers: headers)
            #expect(refused.result?["isError"] == true, "\(refused.text.prefix(300))")
            #expect(refused.result?["content"]?[0]?["text"]?.stringValue?.contains("X-Quilt-Toolsets") == true)
            headers["X-Quilt-Toolsets"] = "administration"
            let unknown = try await MCPHTTP.post(
                server.url(), Self.request(3, "tools/call", ["name": "packages_list", "arguments": [:]]), headers: headers)
            #expect(unknown.status == 400 && unknown.message?["error"]?["code"] == -32602, "\(unknown.text.prefix(300))")
        }
    }

    @Test("Progress makes the answer an event stream: the notifications, then the result; without a token it is JSON")
    func progressStream() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let entries = JSONValue.array((0..<40).map { ["logical_key": .string("p/\($0).txt"), "text": "x"] })
            var meta = Self.meta.objectValue ?? [:]
            meta["progressToken"] = "t1"
            let call = Self.request(
                1, "tools/call", ["name": "package_create", "arguments": ["package_name": "modern/http", "entries": entries]],
                meta: .object(meta))
            let streamed = try await MCPHTTP.post(server.url(), call, headers: Self.headers("tools/call", name: "package_create"))
            #expect(streamed.isEventStream, "\(streamed.text.prefix(300))")
            let events = streamed.events
            #expect(events.first?["method"] == "notifications/progress")
            #expect(events.last?["id"] == 1 && events.last?["result"]?["isError"] == false && events.last?["result"]?["resultType"] == "complete")
            let plain = try await MCPHTTP.post(
                server.url(), Self.request(2, "tools/call", ["name": "package_info", "arguments": ["package_name": "modern/http"]]),
                headers: Self.headers("tools/call", name: "package_info"))
            #expect(!plain.isEventStream && plain.result?["isError"] == false)
        }
    }
}
