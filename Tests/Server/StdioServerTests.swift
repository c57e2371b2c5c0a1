import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// The built `quilt-mcp` as an MCP server over stdio, spoken to with raw JSON-RPC lines.
@Suite("MCP server over stdio")
struct StdioServerTests {
    /// A running server in a fresh sandbox; `body` gets the server and the sandbox directory.
    static func withServer(
        _ arguments: [String] = [], extraEnv: [String: String] = [:], _ body: (ServerProcess, String) throws -> Void
    ) throws {
        let (env, dir) = try Executables.sandbox("mcp-server")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try ServerProcess(arguments, environment: env.merging(extraEnv) { $1 })
        defer { server.stop() }
        try body(server, dir)
    }

    static func toolCall(_ name: String, _ arguments: JSONValue, progressToken: String? = nil) -> JSONValue {
        var params: JSONObject = ["name": .string(name), "arguments": arguments]
        if let progressToken { params["_meta"] = ["progressToken": .string(progressToken)] }
        return .object(params)
    }

    @Test("initialize negotiates the client's version when supported", arguments: ["2025-06-18", "2025-11-25", "2024-11-05"])
    func negotiatesVersion(version: String) throws {
        try Self.withServer { server, _ in
            let result = try server.initialize(version: version)
            #expect(result["protocolVersion"]?.stringValue == version)
            #expect(result["serverInfo"]?["name"]?.stringValue == "quilt-mcp")
            #expect(result["capabilities"]?["tools"] != nil)
            #expect(result["capabilities"]?["resources"] != nil)
            #expect(try server.closeAndWait() == 0)
        }
    }

    @Test("An unknown protocol version gets the newest the server supports")
    func unknownVersion() throws {
        try Self.withServer { server, _ in
            let result = try server.initialize(version: "1999-01-01")
            #expect(result["protocolVersion"]?.stringValue == "2025-11-25")
        }
    }

    @Test("Serving a local registry over stdio starts no network event loops (they start on the first S3 request)")
    func noNetworkThreads() throws {
        try Self.withServer { server, _ in
            _ = try server.initialize()
            let list = try server.call(1, "tools/call", Self.toolCall("packages_list", [:]))
            #expect(list["result"]?["isError"]?.boolValue == false)
            let threads = server.threadNames
            #expect(!threads.isEmpty, "the server's threads are readable")
            #expect(!threads.contains { $0.hasPrefix("NIO-") }, "\(threads)")
        }
    }

    @Test("tools/list is exactly the tool layer: every tool with schemas, annotations and title")
    func toolsList() throws {
        try Self.withServer { server, _ in
            _ = try server.initialize()
            let listed = try #require(try server.call(1, "tools/list")["result"]?["tools"]?.arrayValue)
            let cli = try #require(try JSONParser.parse(try Executables.run(["tools", "--json"], env: ["HOME": "/nonexistent"]).stdout).arrayValue)
            #expect(listed.count == cli.count)
            #expect(listed.compactMap { $0["name"]?.stringValue } == cli.compactMap { $0["name"]?.stringValue })
            for (tool, expected) in zip(listed, cli) {
                let name = tool["name"]?.stringValue ?? "?"
                #expect(tool["title"] == expected["title"], "\(name)")
                #expect(tool["description"] == expected["description"], "\(name)")
                #expect(tool["inputSchema"]?.isEquivalent(to: expected["inputSchema"] ?? .null) == true, "\(name)")
                #expect(tool.objectValue?.position(ofKey: "outputSchema") == nil, "\(name)")
                #expect(tool["annotations"] == expected["annotations"], "\(name)")
            }
        }
    }

    /// The default toolsets are what every client of an unconfigured server pays for in its context, on every turn.
    @Test("tools/list costs at most 12,000 bytes for the default toolsets; --toolsets all adds the rest")
    func toolsListBudget() throws {
        var sizes: [String: Int] = [:]
        for arguments in [[], ["--toolsets", "all"]] {
            try Self.withServer(arguments) { server, _ in
                _ = try server.initialize(version: "2025-11-25")
                let result = try #require(try server.call(1, "tools/list")["result"])
                sizes[arguments.last ?? "default"] = JSONWriter.compact(result).utf8.count
                let names = Set(result["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(names.contains("catalog_url") == !arguments.isEmpty)
            }
        }
        let defaultSize = try #require(sizes["default"]), allSize = try #require(sizes["all"])
        #expect(defaultSize <= 12_000, "default toolsets: \(defaultSize) bytes")
        #expect(allSize > defaultSize)
    }

    @Test("A 2025-03-26 client finds each tool's title in its annotations, where its revision defines it")
    func titleInAnnotations() throws {
        try Self.withServer { server, _ in
            _ = try server.initialize(version: "2025-03-26")
            let tools = try #require(try server.call(1, "tools/list")["result"]?["tools"]?.arrayValue)
            let browse = try #require(tools.first { $0["name"] == "package_browse" })
            #expect(browse["annotations"]?["title"] == "Browse a package")
            #expect(browse["annotations"]?["readOnlyHint"] == true)
            #expect(browse.objectValue?.position(ofKey: "title") == nil)
        }
    }

    /// Some clients and test harnesses send `initialize` twice on one connection (the Python server answers it).
    @Test("A repeated initialize is answered with the session's handshake, before or after the first is answered")
    func repeatedInitialize() throws {
        try Self.withServer { server, _ in
            let params: JSONValue = ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "swift-tests", "version": "1"]]
            // Two at once: the second arrives while the first is still being answered.
            server.request(1, "initialize", params)
            server.request(2, "initialize", params)
            let first = try server.response(1)
            let second = try server.response(2)
            server.notify("notifications/initialized")
            let third = try server.call(3, "initialize", params)
            for answer in [first, second, third] {
                #expect(answer["error"] == nil, "\(answer)")
                #expect(answer["result"]?["protocolVersion"]?.stringValue == "2025-06-18", "\(answer)")
                #expect(answer["result"]?["serverInfo"]?["name"]?.stringValue == "quilt-mcp", "\(answer)")
            }
            #expect(try server.call(4, "tools/list")["result"]?["tools"]?.arrayValue?.isEmpty == false)
            #expect(try server.closeAndWait() == 0)
        }
    }

    @Test("--toolsets narrows tools/list (as `tools --json` says) and a tool of another set is refused naming the setting")
    func toolsets() throws {
        try Self.withServer(["--toolsets", "packages,search"]) { server, _ in
            _ = try server.initialize()
            let listed = try #require(try server.call(1, "tools/list")["result"]?["tools"]?.arrayValue)
            let cli = try #require(
                try JSONParser.parse(try Executables.run(["--toolsets", "packages,search", "tools", "--json"], env: ["HOME": "/nonexistent"]).stdout)
                    .arrayValue)
            let names = listed.compactMap { $0["name"]?.stringValue }
            #expect(names == cli.compactMap { $0["name"]?.stringValue })
            #expect(names.count == 9 && names.contains("search_catalog") && !names.contains("bucket_list"))
            let refused = try server.call(2, "tools/call", Self.toolCall("bucket_list", [:]))
            #expect(refused["result"]?["isError"]?.boolValue == true)
            let text = refused["result"]?["content"]?[0]?["text"]?.stringValue ?? ""
            #expect(text.contains("toolset 'objects'") && text.contains("--toolsets, QUILT_MCP_TOOLSETS"), "\(text)")
        }
    }

    @Test("A read-only server lists no tool that writes, as `tools --json` says, and a write names the setting")
    func readOnlyServer() throws {
        try Self.withServer(["--read-only"]) { server, _ in
            _ = try server.initialize()
            let listed = try #require(try server.call(1, "tools/list")["result"]?["tools"]?.arrayValue)
            let cli = try #require(
                try JSONParser.parse(try Executables.run(["--read-only", "tools", "--json"], env: ["HOME": "/nonexistent"]).stdout).arrayValue)
            let names = listed.compactMap { $0["name"]?.stringValue }
            #expect(names == cli.compactMap { $0["name"]?.stringValue })
            #expect(names.contains("package_browse") && !names.contains("package_create") && !names.contains("bucket_objects_put"))
            #expect(listed.allSatisfy { $0["annotations"]?["readOnlyHint"]?.boolValue == true })
            // A client that calls a write anyway (from an older tools/list) is told why, and nothing is made.
            let refused = try server.call(2, "tools/call", Self.toolCall("package_create", ["package_name": "team/data", "files": []]))
            #expect(refused["result"]?["isError"]?.boolValue == true)
            let text = refused["result"]?["content"]?[0]?["text"]?.stringValue ?? ""
            #expect(text.contains("read-only (--read-only, QUILT_MCP_READ_ONLY)"), "\(text)")
            let list = try server.call(3, "tools/call", Self.toolCall("packages_list", [:]))
            #expect(list["result"]?["structuredContent"]?["packages"]?.arrayValue?.isEmpty == true, "\(list)")
        }
    }

    @Test("package_create with a progress token sends progress before its result; browse and list see it")
    func createBrowseWithProgress() throws {
        try Self.withServer { server, dir in
            _ = try server.initialize(version: "2025-11-25")
            let entries: JSONValue = [
                ["logical_key": "a.txt", "text": "alpha"], ["logical_key": "dir/b.txt", "text": "beta"],
                ["logical_key": "dir/c.txt", "text": "gamma"],
            ]
            server.request(
                2, "tools/call",
                Self.toolCall("package_create", ["package_name": "demo/mcp", "entries": entries, "message": "via mcp"], progressToken: "tok-1"))
            let created = try server.response(2)
            #expect(created["result"]?["isError"]?.boolValue == false)
            let structured = try #require(created["result"]?["structuredContent"])
            let hash = try #require(structured["top_hash"]?.stringValue)
            #expect(hash.count == 64)
            #expect(FileManager.default.fileExists(atPath: dir + "/xdg/Quilt/packages/.quilt/packages/" + hash))
            // The text item is the same result as compact JSON.
            let text = try #require(created["result"]?["content"]?[0]?["text"]?.stringValue)
            #expect(try JSONParser.parse(text) == structured)

            // Progress: at least one notification, all before the result, strictly increasing.
            let messages = server.messages
            let resultIndex = try #require(messages.firstIndex { $0["id"]?.intValue == 2 })
            let progress = messages.enumerated().filter {
                $0.element["method"]?.stringValue == "notifications/progress"
                    && $0.element["params"]?["progressToken"]?.stringValue == "tok-1"
            }
            #expect(!progress.isEmpty)
            #expect(progress.allSatisfy { $0.offset < resultIndex })
            let values = progress.compactMap { $0.element["params"]?["progress"]?.doubleValue }
            #expect(values == values.sorted() && Set(values).count == values.count)
            #expect(progress.allSatisfy { $0.element["params"]?["message"]?.stringValue != nil })

            let browse = try server.call(
                3, "tools/call", Self.toolCall("package_browse", ["package_name": "demo/mcp", "recursive": true]))
            #expect(browse["result"]?["isError"]?.boolValue == false)
            let keys = browse["result"]?["structuredContent"]?["entries"]?.arrayValue?.compactMap { $0["logical_key"]?.stringValue }
            #expect(keys == ["a.txt", "dir/b.txt", "dir/c.txt"])

            let list = try server.call(4, "tools/call", Self.toolCall("packages_list", [:]))
            #expect(list["result"]?["structuredContent"]?["packages"]?[0]?["name"]?.stringValue == "demo/mcp")
        }
    }

    @Test("Metadata crosses the server exactly: 1.0 stays a float, big integers stay whole, order is kept")
    func exactJSON() throws {
        try Self.withServer { server, _ in
            _ = try server.initialize()
            server.send(
                try JSONParser.parse(
                    #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"package_create","arguments":{"package_name":"exact/meta","entries":[{"logical_key":"x","text":"x"}],"metadata":{"z":1.0,"big":123456789012345678901234567890,"e":1e16,"a":null}}}}"#
                ))
            #expect(try server.response(5)["result"]?["isError"]?.boolValue == false)
            _ = try server.call(6, "tools/call", Self.toolCall("package_info", ["package_name": "exact/meta"]))
            let line = try #require(server.lines.first { $0.contains(#""id":6"#) })
            #expect(line.contains(#""user_meta":{"z":1.0,"big":123456789012345678901234567890,"e":1e+16,"a":null}"#))
        }
    }

    @Test("A failing call is isError with the typed error, never a success-shaped result")
    func errors() throws {
        try Self.withServer { server, _ in
            _ = try server.initialize()
            let bad = try server.call(7, "tools/call", Self.toolCall("package_info", ["package_name": "not a name"]))
            #expect(bad["error"] == nil)
            #expect(bad["result"]?["isError"]?.boolValue == true)
            #expect(bad["result"]?["structuredContent"]?["error"]?["kind"]?.stringValue == "invalid_input")
            #expect(bad["result"]?["structuredContent"]?["error"]?["field"]?.stringValue == "package_name")
            let text = try #require(bad["result"]?["content"]?[0]?["text"]?.stringValue)
            #expect(text.contains("invalid_input") && text.contains("Hint:"))

            let missing = try server.call(8, "tools/call", Self.toolCall("package_info", ["package_name": "no/such"]))
            #expect(missing["result"]?["isError"]?.boolValue == true)
            #expect(missing["result"]?["structuredContent"]?["error"]?["kind"]?.stringValue == "not_found")

            let unknown = try server.call(9, "tools/call", Self.toolCall("no_such_tool", [:]))
            #expect(unknown["result"]?["isError"]?.boolValue == true)
            #expect(unknown["result"]?["structuredContent"]?["error"]?["kind"]?.stringValue == "invalid_input")
        }
    }

    @Test("When the backend cannot be made the server still starts and every call returns that typed error")
    func backendFailure() throws {
        // A malformed S3 endpoint makes the Platform backend impossible to build.
        try Self.withServer(
            ["--api", "platform", "--catalog-url", "https://catalog.example.invalid"], extraEnv: ["AWS_ENDPOINT_URL": "not a url"]
        ) { server, _ in
            _ = try server.initialize()
            let r = try server.call(1, "tools/call", Self.toolCall("packages_list", [:]))
            #expect(r["result"]?["isError"]?.boolValue == true)
            #expect(r["result"]?["structuredContent"]?["error"]?["kind"]?.stringValue == "invalid_input")
            #expect(r["result"]?["structuredContent"]?["error"]?["message"]?.stringValue?.contains("AWS_ENDPOINT_URL") == true)
            let status = try server.call(2, "resources/read", ["uri": "auth://status"])
            let body = try JSONParser.parse(status["result"]?["contents"]?[0]?["text"]?.stringValue ?? "")
            #expect(body["authenticated"]?.boolValue == false)
            #expect(body["error"]?["kind"]?.stringValue == "invalid_input")
        }
    }

    @Test("resources/list and resources/read: auth status and the resolved mode with its sources")
    func resources() throws {
        try Self.withServer { server, _ in
            _ = try server.initialize()
            let list = try server.call(1, "resources/list")
            let uris = list["result"]?["resources"]?.arrayValue?.compactMap { $0["uri"]?.stringValue } ?? []
            #expect(Set(uris) == ["auth://status", "auth://catalog/info"])
            #expect(list["result"]?["resources"]?.arrayValue?.allSatisfy { $0["mimeType"]?.stringValue == "application/json" } == true)

            let status = try server.call(2, "resources/read", ["uri": "auth://status"])
            let content = try #require(status["result"]?["contents"]?[0])
            #expect(content["mimeType"]?.stringValue == "application/json")
            let body = try JSONParser.parse(content["text"]?.stringValue ?? "")
            #expect(body["authenticated"]?.boolValue == true)
            #expect(body["method"]?.stringValue == "local")
            for key in ["identity", "catalog_url", "registry", "detail"] { #expect(body[key] != nil, "\(key)") }

            let info = try server.call(3, "resources/read", ["uri": "auth://catalog/info"])
            let infoBody = try JSONParser.parse(info["result"]?["contents"]?[0]?["text"]?.stringValue ?? "")
            #expect(infoBody["backend"]?.stringValue == "file")
            #expect(infoBody["capabilities"]?.arrayValue?.contains("packageWrite") == true)
            #expect(infoBody["mode"]?["transport"]?["value"]?.stringValue == "stdio")
            #expect(infoBody["mode"]?["transport"]?["source"]?.stringValue != nil)
            #expect(infoBody["mode"]?["api"]?["value"]?.stringValue == "registry")

            let unknown = try server.call(4, "resources/read", ["uri": "auth://nope"])
            #expect(unknown["error"]?["code"]?.intValue == -32002)
        }
    }

    @Test("ping answers; stdout carries only JSON-RPC 2.0; end of input drains answers and exits 0")
    func pingAndCleanOutput() throws {
        try Self.withServer(["--log-level", "debug"]) { server, _ in
            _ = try server.initialize()
            #expect(try server.call(1, "ping")["result"] == [:])
            // Pipelined: requests written, then input closed at once; every answer still arrives.
            server.request(2, "tools/list")
            server.request(3, "tools/call", Self.toolCall("package_create", ["package_name": "pipe/lined", "entries": [["logical_key": "k", "text": "v"]]]))
            server.request(4, "resources/read", ["uri": "auth://status"])
            server.request(5, "ping")
            #expect(try server.closeAndWait() == 0)
            let ids = Set(server.messages.compactMap { $0["method"] == nil ? $0["id"]?.intValue : nil })
            #expect(ids.isSuperset(of: [0, 1, 2, 3, 4, 5]))
            #expect(!server.stderrText.isEmpty)  // debug logs went to stderr ...
            for line in server.lines {  // ... and stdout has JSON-RPC only
                let m = try JSONParser.parse(line)
                #expect(m["jsonrpc"]?.stringValue == "2.0", "\(line)")
                let isResponse = m["id"] != nil && (m["result"] != nil || m["error"] != nil)
                let isNotification = m["method"]?.stringValue != nil && m["id"] == nil
                #expect(isResponse || isNotification, "\(line)")
            }
        }
    }

    @Test("notifications/cancelled stops an in-flight package_create: no response, no package")
    func cancellation() throws {
        try Self.withServer { server, dir in
            _ = try server.initialize()
            let entries = JSONValue.array((0..<10000).map { ["logical_key": .string("f/\($0).txt"), "text": .string("entry \($0)")] })
            server.request(10, "tools/call", Self.toolCall("package_create", ["package_name": "slow/one", "entries": entries], progressToken: "c"))
            _ = try server.wait("first progress") { $0["method"]?.stringValue == "notifications/progress" }
            server.notify("notifications/cancelled", ["requestId": 10, "reason": "test"])
            #expect(try server.call(11, "ping")["result"] == [:])
            #expect(try server.closeAndWait() == 0)
            #expect(!server.messages.contains { $0["id"]?.intValue == 10 && $0["method"] == nil })
            let last = server.messages.last { $0["method"]?.stringValue == "notifications/progress" }
            #expect((last?["params"]?["progress"]?.doubleValue ?? 0) < (last?["params"]?["total"]?.doubleValue ?? 0))
            #expect(!FileManager.default.fileExists(atPath: dir + "/xdg/Quilt/packages/.quilt/named_packages/slow/one/latest"))
        }
    }

    @Test("A line that is not JSON gets a parse error with a null id, and the session goes on")
    func parseError() throws {
        try Self.withServer { server, _ in
            _ = try server.initialize()
            server.sendRaw("this is not json")
            let error = try server.wait("parse error") { $0["error"]?["code"]?.intValue == -32700 }
            #expect(error["id"] == .null)
            #expect(try server.call(1, "ping")["result"] == [:])
            let unknown = try server.call(2, "no/such/method")
            #expect(unknown["error"]?["code"]?.intValue == -32601)
        }
    }

    @Test("stdio with auth=jwt: the configured token reaches the backend as the caller's credentials")
    func stdioCredentials() throws {
        // header {"alg":"HS256"}, payload {"sub":"stdio-user","exp":4102444800}, signature not checked (no key).
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGRpby11c2VyIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2ln"
        try Self.withServer(["--auth", "jwt", "--registry", "memory://stdio"], extraEnv: ["QUILT_MCP_JWT_TOKEN": token]) { server, _ in
            _ = try server.initialize()
            let read = try server.call(1, "resources/read", ["uri": "auth://status"])
            let text = try #require(read["result"]?["contents"]?[0]?["text"]?.stringValue)
            let status = try JSONParser.parse(text)
            #expect(status["method"] == "jwt")
            #expect(status["identity"] == "stdio-user")
            #expect(!server.stderrText.contains(token))
        }
    }

    @Test("stdio with a verification key: a configured token that does not verify makes every call unauthenticated")
    func stdioRefusedToken() throws {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGRpby11c2VyIiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2ln"
        let env = ["QUILT_MCP_JWT_TOKEN": token, "QUILT_MCP_JWT_SECRET": String(repeating: "k", count: 40)]
        try Self.withServer(["--auth", "jwt", "--registry", "memory://stdio"], extraEnv: env) { server, _ in
            _ = try server.initialize()
            let r = try server.call(1, "tools/call", Self.toolCall("packages_list", [:]))
            #expect(r["result"]?["isError"] == true)
            #expect(r["result"]?["structuredContent"]?["error"]?["kind"] == "unauthenticated")
            #expect(server.stderrText.contains("the token's signature does not verify"))
        }
    }
}
