import AsyncHTTPClient
import FakeCatalog
import Foundation
import NIOCore
import NIOHTTP1
import QuiltJSON
import Synchronization
import Testing

/// Local HTTP (state=persistent, tenancy=single): sessions on the SDK's stateful transport.
let sessionArguments = ["--registry", "memory://http-sessions"]

/// Initializes a session and returns its id.
func openSession(_ server: HTTPServerProcess, token: String? = nil, version: String = "2025-06-18") async throws -> String {
    let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(0, "initialize", MCPHTTP.initialize(version)), token: token)
    #expect(reply.status == 200)
    #expect(reply.isEventStream)
    #expect(reply.result?["protocolVersion"]?.stringValue == version)
    let id = try #require(reply.headers["mcp-session-id"])
    let initialized = try await MCPHTTP.post(
        server.url(), MCPHTTP.notification("notifications/initialized"), token: token, headers: ["Mcp-Session-Id": id])
    #expect(initialized.status == 202)
    return id
}

/// Opens the session's GET event stream.
func openEventStream(_ server: HTTPServerProcess, session: String) async throws -> HTTPClientResponse {
    var request = HTTPClientRequest(url: server.url())
    request.method = .GET
    request.headers.add(name: "Accept", value: "text/event-stream")
    request.headers.add(name: "Mcp-Session-Id", value: session)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    #expect(response.status.code == 200)
    return response
}

@Suite("Streamable HTTP with sessions (local)")
struct SessionHTTPTests {
    @Test("initialize opens a session; calls in it answer as SSE; a missing or unknown session id is refused")
    func sessionLifecycle() async throws {
        try await withHTTPServer(sessionArguments) { server, _ in
            let id = try await openSession(server)
            let list = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/list"), headers: ["Mcp-Session-Id": id])
            #expect(list.status == 200 && list.isEventStream)
            #expect(list.result?["tools"]?.arrayValue?.isEmpty == false)

            let created = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(2, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "s/one", "entries": [["logical_key": "a", "text": "x"]], "metadata": ["r": 1.0]])),
                headers: ["Mcp-Session-Id": id])
            #expect(created.result?["isError"] == false)
            #expect(created.text.contains(#"\"user_meta\":{\"r\":1.0}"#) || created.text.contains(#""user_meta":{"r":1.0}"#))

            let noSession = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(3, "tools/list"))
            #expect(noSession.status == 400)
            let unknown = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(4, "tools/list"), headers: ["Mcp-Session-Id": "nope"])
            #expect(unknown.status == 404)

            let deleted = try await MCPHTTP.send(server.url(), method: .DELETE, headers: ["Mcp-Session-Id": id])
            #expect(deleted.status == 200)
            let after = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(5, "ping"), headers: ["Mcp-Session-Id": id])
            #expect(after.status == 404)

            let health = try await MCPHTTP.send(server.url("/health"), method: .GET)
            #expect(health.json?["mode"]?["sessions"] == true)
        }
    }

    @Test("Progress travels on the call's own event stream, before its result, whether or not a GET stream is open",
          arguments: [false, true])
    func progressOnCallStream(openGETStream: Bool) async throws {
        try await withHTTPServer(sessionArguments) { server, _ in
            let id = try await openSession(server)
            let onGET = Mutex<[JSONValue]>([])
            var reader: Task<Void, any Error>?
            if openGETStream {
                let response = try await openEventStream(server, session: id)
                reader = Task {
                    var text = ""
                    for try await chunk in response.body {
                        text += String(buffer: chunk)
                        let messages = SSE.messages(text)
                        onGET.withLock { $0 = messages }
                    }
                }
            }
            let entries: JSONValue = .array((0..<3).map { ["logical_key": .string("f\($0)"), "text": .string("v\($0)")] })
            let created = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(9, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "s/progress", "entries": entries], progressToken: "sess-tok")),
                headers: ["Mcp-Session-Id": id])
            #expect(created.result?["isError"] == false)
            let events = created.events
            let progress = events.filter { $0["method"] == "notifications/progress" }
            #expect(progress.count >= 2, "\(created.text.prefix(500))")
            #expect(progress.allSatisfy { $0["params"]?["progressToken"] == "sess-tok" })
            #expect(progress.last?["params"]?["message"]?.stringValue?.hasPrefix("writing-manifest 3/3") == true)
            let resultIndex = try #require(events.firstIndex { $0["id"] == 9 })
            #expect(resultIndex == events.count - 1, "the result comes last")
            let values = progress.compactMap { $0["params"]?["progress"]?.doubleValue }
            #expect(values == values.sorted() && Set(values).count == values.count, "strictly increasing: \(values)")

            // A call without a token sends none; nothing went to the GET stream.
            let plain = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(10, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "s/plain", "entries": entries])), headers: ["Mcp-Session-Id": id])
            #expect(plain.result?["isError"] == false)
            #expect(plain.events.count == 1)
            try await Task.sleep(for: .milliseconds(200))
            reader?.cancel()
            #expect(onGET.withLock { $0 }.filter { $0["method"] == "notifications/progress" }.isEmpty)
        }
    }

    @Test("notifications/cancelled in the session stops an in-flight package_create: no result, no package")
    func cancellation() async throws {
        // The call's upload is held by the fake S3 (see `StatelessCancellationTests`): it is running when cancelled.
        try await StatelessCancellationTests.withHeldUploads(sessions: true) { server, fake, alice, _ in
            let id = try await openSession(server, token: alice)
            let session = ["Mcp-Session-Id": id]
            let call = try await StatelessCancellationTests.heldCreate(server, fake, token: alice, progress: true, headers: session)
            #expect(try await StatelessCancellationTests.cancel(server, token: alice, headers: session) == 202)
            let reply = try await call.value
            #expect(reply.result == nil, "a cancelled request gets no result: \(reply.text.prefix(300))")
            fake.faults.release()
            #expect(try await StatelessCancellationTests.kind(server, "alice/held", token: alice, headers: session) == "not_found")
        }
    }

    @Test("A cancellation that overtakes its request in the session still cancels it: no result, no package")
    func overtakenCancellation() async throws {
        try await withHTTPServer(sessionArguments) { server, _ in
            let id = try await openSession(server)
            let early = try await MCPHTTP.post(
                server.url(), MCPHTTP.notification("notifications/cancelled", ["requestId": 10, "reason": "test"]),
                headers: ["Mcp-Session-Id": id])
            #expect(early.status == 202)
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(10, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "s/early", "entries": [["logical_key": "a", "text": "x"]]])),
                headers: ["Mcp-Session-Id": id], timeout: 30)
            #expect(reply.result == nil, "\(reply.text.prefix(300))")
            let info = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(11, "tools/call", MCPHTTP.call(
                "package_info", ["package_name": "s/early"])), headers: ["Mcp-Session-Id": id])
            #expect(info.result?["structuredContent"]?["error"]?["kind"] == "not_found", "\(info.text)")
        }
    }

    @Test("SIGTERM with an open event stream: sessions end and the server exits 0")
    func shutdownWithOpenStream() async throws {
        try await withHTTPServer(sessionArguments) { server, _ in
            let id = try await openSession(server)
            _ = try await openEventStream(server, session: id)
            let started = Date()
            #expect(try server.terminate(timeout: 30) == 0)
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }
}
