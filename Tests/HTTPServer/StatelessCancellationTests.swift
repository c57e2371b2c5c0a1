import Foundation
import QuiltJSON
import Synchronization
import Testing

/// `notifications/cancelled` without sessions: it reaches the caller's request still running on this replica.
@Suite("Streamable HTTP, stateless: cancellation")
struct StatelessCancellationTests {
    static let arguments = ["--auth", "jwt", "--tenancy", "multi", "--state", "stateless", "--registry", "memory://cancel"]
    static let slowEntries = JSONValue.array((0..<50000).map { ["logical_key": .string("f/\($0).txt"), "text": .string("entry \($0)")] })

    static func slowCreate(_ server: HTTPServerProcess, _ name: String, token: String, progress: Bool) -> Task<HTTPReply, any Error> {
        Task {
            try await MCPHTTP.post(server.url(), MCPHTTP.rpc(10, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": .string(name), "entries": slowEntries], progressToken: progress ? "p" : nil)),
                token: token, timeout: 60)
        }
    }

    /// Sends the cancellation every 50 ms until `call` has answered (the request may not have reached the server
    /// yet when the first one arrives — a cancellation for an unknown id is accepted with no effect), and returns
    /// every status and the answer.
    static func cancel(
        _ server: HTTPServerProcess, token: String?, headers: [String: String] = [:], until call: Task<HTTPReply, any Error>
    ) async throws
        -> (statuses: Set<Int>, reply: HTTPReply)
    {
        let finished = Mutex(false)
        let done = Task {
            defer { finished.withLock { $0 = true } }
            return try await call.value
        }
        // Fired every 50 ms without waiting for the previous one (on a loaded machine one slow round trip must not
        // hold back the next, or the call could pass its commit point before any cancellation lands), but at most
        // four at a time: the HTTP client queues requests beyond its connection pool, and a backlog of early
        // cancellations would hold the later ones back until the call had finished (seen once in CI under load).
        let statuses = StatusSet()
        let outstanding = Slots(4)
        var sent: [Task<Void, Never>] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, !finished.withLock({ $0 }) {
            if outstanding.take() {
                sent.append(Task {
                    defer { outstanding.give() }
                    if let status = try? await MCPHTTP.post(
                        server.url(), MCPHTTP.notification("notifications/cancelled", ["requestId": 10, "reason": "test"]),
                        token: token, headers: headers
                    ).status {
                        statuses.insert(status)
                    }
                })
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        for task in sent { await task.value }
        return (statuses.all, try await done.value)
    }

    static func kind(_ server: HTTPServerProcess, _ name: String, token: String) async throws -> JSONValue? {
        let info = try await MCPHTTP.post(
            server.url(), MCPHTTP.rpc(11, "tools/call", MCPHTTP.call("package_info", ["package_name": .string(name)])), token: token)
        return info.result?["structuredContent"]?["error"]?["kind"] ?? (info.result?["structuredContent"]?["top_hash"] != nil ? "found" : nil)
    }

    @Test("The caller's cancellation stops its running call: JSON answer is a cancelled error with the id; SSE ends without a result",
          arguments: [false, true])
    func cancels(progress: Bool) async throws {
        let alice = TokenMint.hs256(TokenMint.claims(sub: "alice"))
        let env = ["QUILT_MCP_JWT_SECRET": TokenMint.secret, "QUILT_MCP_LOG_LEVEL": "info"]
        try await withHTTPServer(Self.arguments, env: env) { server, _ in
            let call = Self.slowCreate(server, "alice/slow", token: alice, progress: progress)
            let (statuses, reply) = try await Self.cancel(server, token: alice, until: call)
            #expect(statuses == [202])
            if progress {
                #expect(reply.isEventStream && reply.result == nil, "\(reply.text.suffix(300))")
            } else {
                // The reply on the same line as the failure (CI shows only the first line of an issue).
                if !(reply.json?["id"] == 10 && reply.json?["error"]?["code"] == -32800) {
                    Issue.record("not a -32800 answer for id 10: HTTP \(reply.status) \(oneLine(reply.text.prefix(400))); log: \(oneLine(server.stderrText.suffix(1500)))")
                }
            }
            let kind = try await Self.kind(server, "alice/slow", token: alice)
            let log = server.stderrText
            #expect(log.contains("tools/call cancelled"), "the handler saw the cancellation: \(log.suffix(2000))")
            // No answer means no package: a call that gives up leaves nothing behind (one the cancellation reaches
            // after its push is answered instead — see `CallRegistryTests.tooLate`).
            #expect(kind == "not_found", "\(log.suffix(2000))")
        }
    }

    @Test("A cancellation for a request not running here is not remembered: a later request with that id runs")
    func notRemembered() async throws {
        let alice = TokenMint.hs256(TokenMint.claims(sub: "alice"))
        try await withHTTPServer(Self.arguments, env: ["QUILT_MCP_JWT_SECRET": TokenMint.secret]) { server, _ in
            // As a late courtesy cancel (or one for another replica's request) would look here.
            let stray = try await MCPHTTP.post(
                server.url(), MCPHTTP.notification("notifications/cancelled", ["requestId": 10, "reason": "late"]), token: alice)
            #expect(stray.status == 202)
            let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(10, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "alice/later", "entries": [["logical_key": "a", "text": "x"]]])), token: alice)
            #expect(reply.result?["isError"] == false, "\(reply.text.prefix(300))")
        }
    }

    @Test("Another caller's cancellation of the same request id changes nothing")
    func otherCaller() async throws {
        let alice = TokenMint.hs256(TokenMint.claims(sub: "alice"))
        let bob = TokenMint.hs256(TokenMint.claims(sub: "bob"))
        try await withHTTPServer(Self.arguments, env: ["QUILT_MCP_JWT_SECRET": TokenMint.secret]) { server, _ in
            let call = Self.slowCreate(server, "alice/kept", token: alice, progress: false)
            let (statuses, reply) = try await Self.cancel(server, token: bob, until: call)
            #expect(statuses == [202])
            #expect(reply.result?["isError"] == false, "\(reply.text.prefix(300))")
            #expect(try await Self.kind(server, "alice/kept", token: alice) == "found")
        }
    }
}

/// `text` on one line, so a failure's whole detail shows where only the first line of an issue is printed.
func oneLine(_ text: some StringProtocol) -> String { text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ") }

/// HTTP statuses collected from concurrent requests.
final class StatusSet: Sendable {
    private let statuses = Mutex(Set<Int>())
    func insert(_ status: Int) { statuses.withLock { _ = $0.insert(status) } }
    var all: Set<Int> { statuses.withLock { $0 } }
}

/// A counting semaphore that never waits: ``take()`` fails when every slot is taken.
final class Slots: Sendable {
    private let free: Mutex<Int>
    init(_ count: Int) { free = Mutex(count) }
    func take() -> Bool { free.withLock { n in guard n > 0 else { return false }; n -= 1; return true } }
    func give() { free.withLock { $0 += 1 } }
}
