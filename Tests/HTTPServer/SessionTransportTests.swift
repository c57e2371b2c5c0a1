import Foundation
import QuiltJSON
import QuiltMode
import Testing

@testable import QuiltHTTPServer
import Logging
import QuiltServer

/// The session transport driven directly: HTTP requests in, server messages out, no MCP server behind it.
@Suite("Session transport")
struct SessionTransportTests {
    static let sse = ["Accept": "application/json, text/event-stream", "Content-Type": "application/json",
                      "Host": "127.0.0.1:8080"]

    /// Local HTTP as the mode module resolves it (sessions; DNS-rebinding checks on).
    static func transport(_ replay: ReplayLog = ReplayLog()) throws -> SessionTransport {
        let mode = try ModeResolver.resolve(flags: ModeFlags(), environment: ["HOME": "/nonexistent", "QUILT_MCP_TRANSPORT": "http"])
        #expect(mode.locale == .local)
        return SessionTransport(mode: mode, logger: .init(label: "test"), replay: replay)
    }

    static func post(_ t: SessionTransport, _ message: JSONValue, session: String? = nil) async -> SessionResponse {
        var headers = sse
        if let session { headers["Mcp-Session-Id"] = session; headers["MCP-Protocol-Version"] = "2025-06-18" }
        return await t.handleRequest(SessionRequest(method: "POST", headers: headers, body: Data(JSONWriter.compact(message).utf8)))
    }

    /// Opens a session; returns its id.
    static func initialize(_ t: SessionTransport) async throws -> String {
        let response = await post(t, MCPHTTP.rpc(0, "initialize", MCPHTTP.initialize("2025-06-18")))
        let id = try #require(response.headers["MCP-Session-Id"])
        await t.send(["jsonrpc": "2.0", "id": 0, "result": [:]])
        return id
    }

    static func text(_ response: SessionResponse) async throws -> String {
        guard case .stream(let stream, _) = response else {
            Issue.record("not a stream: \(response.statusCode)")
            return ""
        }
        var text = ""
        for try await chunk in stream { text += String(decoding: chunk, as: UTF8.self) }
        return text
    }

    static func progress(_ token: JSONValue, _ value: Int) -> JSONValue {
        ["jsonrpc": "2.0", "method": "notifications/progress", "params": ["progressToken": token, "progress": .number(JSONNumber(value))]]
    }

    @Test("A request's progress goes on its own stream, before its response, which ends the stream")
    func progressOnRequestStream() async throws {
        let t = try Self.transport()
        let session = try await Self.initialize(t)
        let response = await Self.post(t, MCPHTTP.rpc(5, "tools/call", MCPHTTP.call("package_create", [:], progressToken: "tok")),
                                       session: session)
        await t.send(Self.progress("tok", 1))
        await t.send(Self.progress("other", 9))  // not this request's: the GET stream's (none open)
        await t.send(Self.progress("tok", 2))
        await t.send(try JSONParser.parse(#"{"jsonrpc":"2.0","id":5,"result":{"ok":true}}"#))
        let events = SSE.messages(try await Self.text(response))
        #expect(events.compactMap { $0["params"]?["progress"]?.intValue } == [1, 2])
        #expect(events.last?["result"]?["ok"] == true)
        #expect(await t.inFlightCount == 0)
    }

    @Test("Other notifications go to the GET stream; only one GET stream at a time, another after it closes")
    func standaloneStream() async throws {
        let t = try Self.transport()
        let session = try await Self.initialize(t)
        let headers = ["Accept": "text/event-stream", "Mcp-Session-Id": session, "Host": "127.0.0.1:8080"]
        let get = await t.handleRequest(SessionRequest(method: "GET", headers: headers))
        #expect(get.statusCode == 200)
        let second = await t.handleRequest(SessionRequest(method: "GET", headers: headers))
        #expect(second.statusCode == 409)
        await t.send(try JSONParser.parse(#"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}"#))
        let reader = Task { try await Self.text(get) }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()  // the client goes away
        _ = try? await reader.value
        var reopened = SessionResponse.ok()
        for _ in 0..<100 where reopened.statusCode != 200 || !(reopened.headers["Content-Type"] ?? "").contains("event-stream") {
            reopened = await t.handleRequest(SessionRequest(method: "GET", headers: headers))
            if reopened.statusCode == 409 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(reopened.statusCode == 200)
    }

    @Test("A call that gives up ends its stream without an answer and is forgotten")
    func givenUp() async throws {
        let t = try Self.transport()
        let session = try await Self.initialize(t)
        let response = await Self.post(t, MCPHTTP.rpc(7, "tools/call", MCPHTTP.call("package_create", [:])), session: session)
        let cancel = await Self.post(t, MCPHTTP.notification("notifications/cancelled", ["requestId": 7]), session: session)
        #expect(cancel.statusCode == 202)
        #expect(t.calls.running("7") == nil)  // no call began: the cancellation is kept for it
        let call = t.calls.begin("7")
        #expect(call.isCancelled)
        call.markStopped()
        _ = t.calls.end("7")
        let events = SSE.messages(try await Self.text(response))
        #expect(events.isEmpty)
        #expect(await t.inFlightCount == 0)
    }

    @Test("An id already in flight is refused; a body that is not one JSON object is refused", arguments: [
        #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, "not json", #"{"jsonrpc":"2.0"}"#,
    ])
    func refused(body: String) async throws {
        let t = try Self.transport()
        let session = try await Self.initialize(t)
        var headers = Self.sse
        headers["Mcp-Session-Id"] = session
        let bad = await t.handleRequest(SessionRequest(method: "POST", headers: headers, body: Data(body.utf8)))
        #expect(bad.statusCode == 400)
        _ = await Self.post(t, MCPHTTP.rpc(3, "ping"), session: session)
        let again = await Self.post(t, MCPHTTP.rpc(3, "ping"), session: session)
        #expect(again.statusCode == 400)
    }

    @Test("Resuming with Last-Event-ID replays what the client missed on that stream")
    func resume() async throws {
        let t = try Self.transport()
        let session = try await Self.initialize(t)
        let response = await Self.post(t, MCPHTTP.rpc(8, "tools/call", MCPHTTP.call("x", [:], progressToken: "p8")), session: session)
        guard case .stream(let stream, _) = response else { Issue.record("no stream"); return }
        var iterator = stream.makeAsyncIterator()
        let priming = String(decoding: try #require(try await iterator.next()), as: UTF8.self)
        let primingID = try #require(priming.split(separator: "\n").first?.dropFirst(4))
        await t.send(Self.progress("p8", 1))
        await t.send(try JSONParser.parse(#"{"jsonrpc":"2.0","id":8,"result":{}}"#))
        // The client lost the connection after the priming event: it resumes from there.
        let headers = ["Accept": "text/event-stream", "Mcp-Session-Id": session, "Host": "127.0.0.1:8080",
                       "Last-Event-ID": String(primingID)]
        let resumed = SSE.messages(try await Self.text(await t.handleRequest(SessionRequest(method: "GET", headers: headers))))
        #expect(resumed.map { $0["params"]?["progress"]?.intValue ?? -1 } == [1, -1])
        #expect(resumed.last?["id"] == 8)
        var unknown = headers
        unknown["Last-Event-ID"] = "99-12345"
        #expect(await t.handleRequest(SessionRequest(method: "GET", headers: unknown)).statusCode == 400)
    }

    @Test("A long session keeps a bounded replay log and no finished requests")
    func bounded() async throws {
        let t = try Self.transport(ReplayLog(maxEvents: 64, maxBytes: 100_000))
        let session = try await Self.initialize(t)
        let big = String(repeating: "x", count: 50_000)
        for id in 1...500 {
            let response = await Self.post(t, MCPHTTP.rpc(id, "ping"), session: session)
            await t.send(["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "result": ["t": .string(big)]])
            _ = try await Self.text(response)
        }
        #expect(await t.inFlightCount == 0)
        #expect(await t.replayCount <= 64)
        #expect(await t.replayBytes <= 100_000)
    }
}

@Suite("Replay log")
struct ReplayLogTests {
    @Test("Keeps at most maxEvents, finds ids by sequence, refuses dropped or malformed ids")
    func bounds() throws {
        var log = ReplayLog(maxEvents: 3, maxBytes: 1 << 20)
        let ids = (0..<5).map { log.append(Data("m\($0)".utf8), stream: $0 % 2) }
        #expect(log.count == 3)
        #expect(log.events(after: ids[0]) == nil)
        #expect(log.events(after: ids[1]) == nil)
        let after = try #require(log.events(after: ids[2]))
        #expect(after.stream == 0)
        #expect(after.events.map { String(decoding: $0.message, as: UTF8.self) } == ["m4"])
        #expect(after.events.map(\.id) == [ids[4]])
        for bad in ["", "x", "1-", "-1", "1-2-3", "1-3"] { #expect(log.events(after: bad) == nil, "\(bad)") }
    }

    @Test("Keeps about maxBytes, and always the newest event whatever its size")
    func bytes() {
        var log = ReplayLog(maxEvents: 100, maxBytes: 10)
        _ = log.append(Data(count: 4), stream: 1)
        _ = log.append(Data(count: 4), stream: 1)
        #expect(log.count == 2)
        let huge = log.append(Data(count: 1000), stream: 1)
        #expect(log.count == 1)
        #expect(log.bytes == 1000)
        #expect(log.events(after: huge)?.events.isEmpty == true)
        for _ in 0..<2000 { _ = log.append(nil, stream: 2) }
        #expect(log.count == 100)
    }
}
