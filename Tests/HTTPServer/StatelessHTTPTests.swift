import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuiltJSON
import QuiltTestSupport
import Testing

/// Runs `body` against a server started with `arguments` in a fresh sandbox, stopped afterwards.
func withHTTPServer(
    _ arguments: [String], env extra: [String: String] = [:], _ body: (HTTPServerProcess, String) async throws -> Void
) async throws {
    let (env, dir) = try Executables.sandbox("mcp-http")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try HTTPServerProcess(arguments, environment: env.merging(extra) { $1 })
    defer { server.stop() }
    try await body(server, dir)
}

/// A stateless deployment without tokens: every request answered by a fresh server on the SDK's stateless
/// transport (JSON responses, no session), over a memory registry shared by the process.
let statelessArguments = ["--state", "stateless", "--auth", "iam", "--registry", "memory://http-tests"]

@Suite("Streamable HTTP, stateless (remote) transport")
struct StatelessHTTPTests {
    @Test("initialize negotiates the client's version; no session id; JSON answer",
          arguments: ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
    func negotiates(version: String) async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(0, "initialize", MCPHTTP.initialize(version)))
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(reply.headers["mcp-session-id"] == nil)
            #expect(reply.result?["protocolVersion"]?.stringValue == version)
            #expect(reply.result?["serverInfo"]?["name"] == "quilt-mcp")
            #expect(reply.result?["capabilities"]?["tools"] != nil)
        }
    }

    @Test("An unknown protocol version is answered with the newest supported")
    func unknownVersion() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(0, "initialize", MCPHTTP.initialize("1999-01-01")))
            #expect(reply.result?["protocolVersion"] == "2025-11-25")
            let bad = try await MCPHTTP.post(
                server.url(), MCPHTTP.rpc(1, "ping"), headers: ["MCP-Protocol-Version": "1999-01-01"])
            #expect(bad.status == 400)
        }
    }

    @Test("tools/list without initialize (any replica may answer) is exactly the tool layer")
    func toolsList() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/list"))
            let listed = try #require(reply.result?["tools"]?.arrayValue)
            let cli = try #require(try JSONParser.parse(try Executables.run(["tools", "--json"], env: ["HOME": "/nonexistent"]).stdout).arrayValue)
            #expect(listed.compactMap { $0["name"]?.stringValue } == cli.compactMap { $0["name"]?.stringValue })
            for (tool, expected) in zip(listed, cli) {
                #expect(tool["inputSchema"]?.isEquivalent(to: expected["inputSchema"] ?? .null) == true)
                #expect(tool["annotations"]?["readOnlyHint"] == expected["annotations"]?["readOnlyHint"])
            }
        }
    }

    @Test("tools/call: create, then browse and info on later requests; numbers and member order stay exact")
    func callsExact() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let raw = #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"package_create","arguments":{"package_name":"http/exact","entries":[{"logical_key":"a.txt","text":"alpha"},{"logical_key":"d/b.txt","text":"beta"}],"metadata":{"zeta":1.0,"big":123456789012345678901234567890,"alpha":[1.5,2]}}}}"#
            let created = try await MCPHTTP.send(
                server.url(), method: .POST, headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: Data(raw.utf8))
            #expect(created.result?["isError"] == false)
            #expect(created.text.contains(#""user_meta":{"zeta":1.0,"big":123456789012345678901234567890,"alpha":[1.5,2]}"#))
            let hash = try #require(created.result?["structuredContent"]?["top_hash"]?.stringValue)

            let info = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(8, "tools/call", MCPHTTP.call("package_info", ["package_name": "http/exact"])))
            #expect(info.result?["structuredContent"]?["top_hash"]?.stringValue == hash)
            #expect(info.text.contains(#""zeta":1.0,"big":123456789012345678901234567890"#))

            let browse = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(9, "tools/call", MCPHTTP.call(
                "package_browse", ["package_name": "http/exact", "recursive": true])))
            let keys = browse.result?["structuredContent"]?["entries"]?.arrayValue?.compactMap { $0["logical_key"]?.stringValue }
            #expect(keys == ["a.txt", "d/b.txt"])
        }
    }

    @Test("A failing call is isError with the typed error; an unknown method is a JSON-RPC error")
    func failures() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let bad = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call("package_info", ["package_name": "not a name"])))
            #expect(bad.status == 200)
            #expect(bad.result?["isError"] == true)
            #expect(bad.result?["structuredContent"]?["error"]?["kind"] == "invalid_input")
            let missing = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(2, "tools/call", MCPHTTP.call("package_browse", ["package_name": "no/such"])))
            #expect(missing.result?["structuredContent"]?["error"]?["kind"] == "not_found")
            let unknown = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(3, "no/such/method"))
            #expect(unknown.message?["error"]?["code"]?.intValue == -32601)
        }
    }

    @Test("resources/list, resources/read of both resources, and ping")
    func resourcesAndPing() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let list = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "resources/list"))
            #expect(list.result?["resources"]?.arrayValue?.compactMap { $0["uri"]?.stringValue } == ["auth://status", "auth://catalog/info"])
            let info = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(2, "resources/read", ["uri": "auth://catalog/info"]))
            let text = try #require(info.result?["contents"]?[0]?["text"]?.stringValue)
            let catalog = try JSONParser.parse(text)
            #expect(catalog["backend"] == "memory")
            #expect(catalog["mode"]?["transport"]?["value"] == "http")
            #expect(catalog["mode"]?["state"]?["value"] == "stateless")
            let missing = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(3, "resources/read", ["uri": "auth://nope"]))
            #expect(missing.message?["error"]?["code"]?.intValue == -32002)
            let ping = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(4, "ping"))
            #expect(ping.result == [:])
        }
    }

    @Test("Progress: with a progress token and Accept text/event-stream the answer is SSE, progress first")
    func progressStream() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let entries: JSONValue = .array((0..<5).map { ["logical_key": .string("f\($0).txt"), "text": .string("v\($0)")] })
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(5, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "http/progress", "entries": entries], progressToken: "tok-http")))
            #expect(reply.isEventStream)
            let events = reply.events
            let progress = events.filter { $0["method"] == "notifications/progress" }
            #expect(progress.count >= 2)
            #expect(progress.allSatisfy { $0["params"]?["progressToken"] == "tok-http" })
            let values = progress.compactMap { $0["params"]?["progress"]?.numberValue?.doubleValue }
            #expect(values == values.sorted() && Set(values).count == values.count, "strictly increasing: \(values)")
            #expect(events.last?["id"]?.intValue == 5, "the result comes last")
            #expect(reply.result?["isError"] == false)

            // Without text/event-stream in Accept: one JSON answer, progress dropped.
            let plain = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(6, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "http/progress2", "entries": entries], progressToken: "t2")),
                accept: "application/json")
            #expect(!plain.isEventStream && plain.result?["isError"] == false)
        }
    }

    @Test("Transport errors: GET is 405, a body that is not JSON is 400, a wrong content type is 415")
    func transportErrors() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let get = try await MCPHTTP.send(server.url(), method: .GET, headers: ["Accept": "text/event-stream"])
            #expect(get.status == 405)
            #expect(get.headers["allow"] == "POST")
            let junk = try await MCPHTTP.send(
                server.url(), method: .POST, headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: Data("not json".utf8))
            #expect(junk.status == 400)
            let form = try await MCPHTTP.send(
                server.url(), method: .POST, headers: ["Content-Type": "text/plain", "Accept": "application/json"],
                body: Data(JSONWriter.compact(MCPHTTP.rpc(1, "ping")).utf8))
            #expect(form.status == 415)
            let notification = try await MCPHTTP.post(server.url(), MCPHTTP.notification("notifications/initialized"))
            #expect(notification.status == 202)
        }
    }

    @Test("GET /health: ok, version, transport and a mode summary without secrets or paths")
    func health() async throws {
        try await withHTTPServer(statelessArguments) { server, _ in
            let reply = try await MCPHTTP.send(server.url("/health"), method: .GET)
            #expect(reply.status == 200)
            let body = try #require(reply.json)
            #expect(body["status"] == "ok")
            #expect(body["version"]?.stringValue?.isEmpty == false)
            #expect(body["transport"] == "streamable-http")
            #expect(body["mode"]?["state"] == "stateless")
            #expect(body["mode"]?["sessions"] == false)
            #expect(body["mode"]?["backend"] == "memory")
            #expect(!reply.text.contains("memory://"))
        }
    }

    @Test("SIGTERM: a request in flight (its body still arriving) finishes, then the server exits 0")
    func gracefulShutdown() async throws {
        let metricsPort = try FreePort.pick()
        let arguments = statelessArguments + ["--log-level", "info", "--metrics-port", String(metricsPort)]
        try await withHTTPServer(arguments) { server, _ in
            let entries: JSONValue = .array((0..<200).map { ["logical_key": .string("d/f\($0).txt"), "text": .string("value \($0)")] })
            let bytes = Array(JSONWriter.compact(MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "http/slow", "entries": entries]))).utf8)
            let (chunks, feed) = AsyncStream.makeStream(of: ByteBuffer.self)
            var request = HTTPClientRequest(url: server.url())
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "application/json")
            request.body = .stream(chunks, length: .known(Int64(bytes.count)))
            let half = bytes.count / 2
            feed.yield(ByteBuffer(bytes: bytes[..<half]))
            let answer = Task { try await HTTPClient.shared.execute(request, timeout: .seconds(60)) }
            // Observed states, not sleeps: in CI the machine once stalled for a minute. The server has admitted the
            // request (head and half its body) when its in-flight gauge says 1; it has SIGTERM when it says it drains.
            try await Self.waitFor("the request admitted") {
                let scrape = try? await MCPHTTP.send("http://127.0.0.1:\(metricsPort)/metrics", method: .GET, timeout: 5)
                return scrape.map { MetricsTests.sample($0.text, "quilt_mcp_http_requests_in_flight") == 1 } ?? false
            }
            let exit = Task.detached { try server.terminate(timeout: 120) }
            try await Self.waitFor("the server draining") { server.stderrText.contains("shutting down: letting requests in flight finish") }
            #expect(server.isRunning, "the server must wait for the request in flight")
            feed.yield(ByteBuffer(bytes: bytes[half...]))
            feed.finish()
            let response = try await answer.value
            #expect(response.status.code == 200)
            let reply = try JSONParser.parse(Data(try await response.body.collect(upTo: 1 << 20).readableBytesView))
            #expect(reply["result"]?["isError"] == false)
            #expect(reply["result"]?["structuredContent"]?["entry_count"]?.intValue == 200)
            #expect(try await exit.value == 0)
            #expect(server.stderrText.contains("shutting down: letting requests in flight finish"))
            #expect(server.stderrText.contains("shut down gracefully"))
            await #expect(throws: (any Error).self) { try await MCPHTTP.send(server.url("/health"), method: .GET, timeout: 5) }
        }
    }

    /// Polls `condition` every 20 ms for up to 90 s; fails the test naming `what` if it never holds.
    static func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(90)
        while try await !condition() {
            guard Date() < deadline else { throw HTTPServerProcess.Failure(description: "not seen within 90 s: \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
