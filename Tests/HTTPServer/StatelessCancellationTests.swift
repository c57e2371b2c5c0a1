import FakeCatalog
import Foundation
import QuiltJSON
import Testing

/// `notifications/cancelled` without sessions: it reaches the caller's request still running on this replica.
///
/// The call under test writes to an `s3://` registry on the fake catalog, which holds the upload of its entry until the
/// test releases it: the call is surely running when the cancellation is sent, and cannot finish on its own first.
@Suite("Streamable HTTP, stateless: cancellation")
struct StatelessCancellationTests {
    static let arguments = ["--auth", "jwt", "--tenancy", "multi", "--state", "stateless", "--registry", "memory://cancel"]

    /// A JWT server (stateless and multi-tenant, or with local sessions) over an `s3://` registry on a fake catalog
    /// whose uploads under `alice/held/` are held.
    static func withHeldUploads(
        sessions: Bool = false, _ body: (HTTPServerProcess, FakeCatalogServer, _ alice: String, _ bob: String) async throws -> Void
    ) async throws {
        let fake = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["cancel-bucket"]))
        defer { fake.stop() }
        // Long enough for any loaded machine; short enough that a broken cancellation fails in about a minute.
        fake.faults.hold("PUT", pathContaining: "/alice/held/", limit: .seconds(20))
        defer { fake.faults.release() }
        let alice = try await fake.mintToken(subject: "alice")
        let bob = try await fake.mintToken(subject: "bob")
        let arguments = ["--api", "registry", "--auth", "jwt", "--registry", "s3://cancel-bucket", "--catalog-url", fake.url]
            + (sessions ? [] : ["--state", "stateless", "--tenancy", "multi"])
        let env = ["AWS_ENDPOINT_URL_S3": fake.s3Endpoint, "AWS_REGION": "us-east-1", "QUILT_MCP_LOG_LEVEL": "info"]
        try await withHTTPServer(arguments, env: env) { server, _ in try await body(server, fake, alice, bob) }
    }

    /// Starts `package_create` of `alice/held` (request id 10) and returns once its upload is held.
    static func heldCreate(
        _ server: HTTPServerProcess, _ fake: FakeCatalogServer, token: String, progress: Bool, headers: [String: String] = [:]
    ) async throws -> Task<HTTPReply, any Error> {
        let call = Task {
            try await MCPHTTP.post(server.url(), MCPHTTP.rpc(10, "tools/call", MCPHTTP.call(
                "package_create", ["package_name": "alice/held", "entries": [["logical_key": "a.txt", "text": "held"]]],
                progressToken: progress ? "p" : nil)),
                token: token, headers: headers, timeout: 60)
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while fake.faults.heldCount == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(fake.faults.heldCount == 1, "the call's upload never reached the fake S3")
        return call
    }

    static func cancel(_ server: HTTPServerProcess, token: String?, headers: [String: String] = [:]) async throws -> Int {
        try await MCPHTTP.post(
            server.url(), MCPHTTP.notification("notifications/cancelled", ["requestId": 10, "reason": "test"]),
            token: token, headers: headers
        ).status
    }

    static func kind(_ server: HTTPServerProcess, _ name: String, token: String, headers: [String: String] = [:]) async throws
        -> JSONValue?
    {
        let info = try await MCPHTTP.post(
            server.url(), MCPHTTP.rpc(11, "tools/call", MCPHTTP.call("package_info", ["package_name": .string(name)])), token: token,
            headers: headers)
        return info.result?["structuredContent"]?["error"]?["kind"] ?? (info.result?["structuredContent"]?["top_hash"] != nil ? "found" : nil)
    }

    @Test("The caller's cancellation stops its running call: JSON answer is a cancelled error with the id; SSE ends without a result",
          arguments: [false, true])
    func cancels(progress: Bool) async throws {
        try await Self.withHeldUploads { server, fake, alice, _ in
            let call = try await Self.heldCreate(server, fake, token: alice, progress: progress)
            #expect(try await Self.cancel(server, token: alice) == 202)
            let reply = try await call.value
            if progress {
                #expect(reply.isEventStream && reply.result == nil, "\(reply.text.suffix(300))")
            } else {
                // The reply on the same line as the failure (CI shows only the first line of an issue).
                if !(reply.json?["id"] == 10 && reply.json?["error"]?["code"] == -32800) {
                    Issue.record("not a -32800 answer for id 10: HTTP \(reply.status) \(oneLine(reply.text.prefix(400))); log: \(oneLine(server.stderrText.suffix(1500)))")
                }
            }
            let log = server.stderrText
            #expect(log.contains("tools/call cancelled"), "the handler saw the cancellation: \(log.suffix(2000))")
            // No answer means no package: a call that gives up leaves nothing behind (one the cancellation reaches
            // after its push is answered instead — see `CallRegistryTests.tooLate`).
            fake.faults.release()
            #expect(try await Self.kind(server, "alice/held", token: alice) == "not_found", "\(log.suffix(2000))")
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
        try await Self.withHeldUploads { server, fake, alice, bob in
            let call = try await Self.heldCreate(server, fake, token: alice, progress: false)
            // Answered once the server has acted on it; only then does the held upload go on.
            #expect(try await Self.cancel(server, token: bob) == 202)
            fake.faults.release()
            let reply = try await call.value
            #expect(reply.result?["isError"] == false, "\(reply.text.prefix(300))")
            #expect(try await Self.kind(server, "alice/held", token: alice) == "found")
        }
    }
}

/// `text` on one line, so a failure's whole detail shows where only the first line of an issue is printed.
func oneLine(_ text: some StringProtocol) -> String { text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ") }
