import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// The built `quilt-mcp` over stdio in the 2026-07-28 era: no handshake, every request carries its own `_meta`.
@Suite("MCP 2026-07-28 over stdio")
struct ModernStdioTests {
    static let version = "2026-07-28"

    /// `body` with the 2026-07-28 envelope in `_meta` (plus `extra` members, e.g. a progress token).
    static func params(_ body: JSONObject = [:], meta extra: JSONObject = [:], version: JSONValue = .string(version)) -> JSONValue {
        var meta: JSONObject = [
            "io.modelcontextprotocol/protocolVersion": version, "io.modelcontextprotocol/clientCapabilities": [:],
            "io.modelcontextprotocol/clientInfo": ["name": "quilt-mcp-tests", "version": "1"],
        ]
        for (key, value) in extra { meta[key] = value }
        var params = body
        params["_meta"] = .object(meta)
        return .object(params)
    }

    @Test("server/discover opens a modern connection: versions, capabilities, identity, resultType and caching")
    func discover() throws {
        try StdioServerTests.withServer { server, _ in
            let result = try #require(try server.call(1, "server/discover", Self.params())["result"])
            #expect(result["supportedVersions"] == ["2026-07-28"])
            #expect(result["capabilities"]?["tools"]?.objectValue != nil && result["capabilities"]?["resources"]?.objectValue != nil)
            #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "quilt-mcp")
            #expect(result["resultType"] == "complete")
            #expect((result["ttlMs"]?.intValue ?? -1) >= 0)
            #expect(result["cacheScope"] == "public")
            #expect(try server.closeAndWait() == 0)
        }
    }

    @Test("List and read results carry ttlMs and cacheScope; a tool result carries only resultType")
    func resultDecoration() throws {
        try StdioServerTests.withServer { server, _ in
            let tools = try #require(try server.call(1, "tools/list", Self.params())["result"])
            #expect(tools["tools"]?.arrayValue?.isEmpty == false)
            #expect(tools["resultType"] == "complete" && tools["cacheScope"] == "public" && tools["ttlMs"]?.intValue != nil)
            let read = try #require(try server.call(2, "resources/read", Self.params(["uri": "auth://status"]))["result"])
            #expect(read["cacheScope"] == "private" && read["ttlMs"] == 0 && read["resultType"] == "complete")
            let call = try #require(
                try server.call(3, "tools/call", Self.params(["name": "packages_list", "arguments": [:]]))["result"])
            #expect(call["isError"] == false && call["resultType"] == "complete")
            #expect(call.objectValue.map { !$0.keys.contains("ttlMs") && !$0.keys.contains("cacheScope") } == true)
        }
    }

    @Test("The envelope is checked on every request, in the revision's order")
    func envelopeLadder() throws {
        try StdioServerTests.withServer { server, _ in
            _ = try server.call(1, "server/discover", Self.params())
            // No _meta at all, then one without the client's capabilities: -32602 naming what is missing.
            let bare = try server.call(2, "tools/list", [:])
            #expect(bare["error"]?["code"] == -32602)
            let half = try server.call(3, "tools/list", ["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]])
            #expect(half["error"]?["code"] == -32602)
            #expect(half["error"]?["message"]?.stringValue?.contains("clientCapabilities") == true)
            // A version this server does not serve: -32022 naming both.
            let unknown = try server.call(4, "tools/list", Self.params(version: "2099-01-01"))
            #expect(unknown["error"]?["code"] == -32022)
            #expect(unknown["error"]?["data"] == ["supported": ["2026-07-28"], "requested": "2099-01-01"])
            // A version that is not a string is a malformed envelope, not a negotiation.
            #expect(try server.call(5, "tools/list", Self.params(version: 7))["error"]?["code"] == -32602)
            // The handshake does not exist here; neither does ping.
            let initialize = try server.call(6, "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:]])
            #expect(initialize["error"]?["code"] == -32022)
            #expect(try server.call(7, "ping", Self.params())["error"]?["code"] == -32601)
            // The connection is still served.
            #expect(try server.call(8, "tools/list", Self.params())["result"]?["tools"]?.arrayValue != nil)
        }
    }

    @Test("A resource that does not exist is -32602 in 2026-07-28 (it was -32002 before)")
    func resourceNotFound() throws {
        try StdioServerTests.withServer { server, _ in
            let missing = try server.call(1, "resources/read", Self.params(["uri": "auth://nope"]))
            #expect(missing["error"]?["code"] == -32602)
            #expect(missing["error"]?["message"]?.stringValue?.contains("auth://status") == true)
        }
    }

    @Test("A connection that began with initialize refuses a 2026-07-28 request with -32600")
    func erasDoNotMix() throws {
        try StdioServerTests.withServer { server, _ in
            _ = try server.initialize()
            let modern = try server.call(1, "tools/list", Self.params())
            #expect(modern["error"]?["code"] == -32600)
            #expect(try server.call(2, "tools/list")["result"]?.objectValue.map { !$0.keys.contains("resultType") } == true)
        }
    }

    @Test("Progress from the request's _meta token precedes the result; package_create then browses")
    func progress() throws {
        try StdioServerTests.withServer { server, _ in
            let entries = JSONValue.array((0..<50).map { ["logical_key": .string("d/\($0).txt"), "text": .string("n \($0)")] })
            let created = try server.call(
                1, "tools/call",
                Self.params(["name": "package_create", "arguments": ["package_name": "modern/one", "entries": entries]],
                            meta: ["progressToken": "p1"]))
            #expect(created["result"]?["isError"] == false, "\(created)")
            let progress = server.messages.filter { $0["params"]?["progressToken"] == "p1" }
            #expect(!progress.isEmpty)
            let resultIndex = try #require(server.messages.firstIndex { $0["id"] == 1 })
            #expect(server.messages.firstIndex { $0["params"]?["progressToken"] == "p1" }.map { $0 < resultIndex } == true)
            let browse = try server.call(
                2, "tools/call", Self.params(["name": "package_browse", "arguments": ["package_name": "modern/one", "recursive": true]]))
            #expect(browse["result"]?["structuredContent"]?["entries"]?.arrayValue?.count == 50, "\(browse)")
        }
    }

    @Test("notifications/cancelled stops a modern request too: no answer, no package")
    func cancellation() throws {
        try StdioServerTests.withServer { server, dir in
            let entries = JSONValue.array((0..<10000).map { ["logical_key": .string("f/\($0).txt"), "text": .string("entry \($0)")] })
            server.request(
                10, "tools/call",
                Self.params(["name": "package_create", "arguments": ["package_name": "slow/two", "entries": entries]],
                            meta: ["progressToken": "c"]))
            _ = try server.wait("first progress") { $0["method"] == "notifications/progress" }
            server.notify("notifications/cancelled", ["requestId": 10])
            #expect(try server.call(11, "tools/list", Self.params())["result"]?.objectValue != nil)
            #expect(try server.closeAndWait() == 0)
            #expect(!server.messages.contains { $0["id"] == 10 })
            #expect(!FileManager.default.fileExists(atPath: dir + "/xdg/Quilt/packages/.quilt/named_packages/slow/two/latest"))
        }
    }

    @Test("Hostile lines: batches, a reused id, a bad id and a non-object get errors; the connection goes on")
    func hostileLines() throws {
        try StdioServerTests.withServer { server, _ in
            _ = try server.call(1, "server/discover", Self.params())
            server.sendRaw(#"[{"jsonrpc":"2.0","id":2,"method":"tools/list"}]"#)
            let batch = try server.wait("batch refused") { $0["error"]?["code"] == -32600 && $0["id"] == .null }
            #expect(batch["error"]?["message"]?.stringValue?.contains("batch") == true)
            server.sendRaw(#"{"jsonrpc":"2.0","id":true,"method":"tools/list"}"#)
            _ = try server.wait("bad id") { $0["error"]?["message"]?.stringValue?.contains("\"id\"") == true }
            server.sendRaw(#""just a string""#)
            _ = try server.wait("non-object") { $0["error"]?["message"]?.stringValue?.contains("object") == true }
            #expect(try server.call(3, "tools/list", Self.params())["result"]?.objectValue != nil)
        }
    }
}
