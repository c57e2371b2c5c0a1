import NIOCore
import NIOPosix
import NIOSSL
import QuiltContract
import QuiltHTTP
import Testing

/// The live transport's requests made on an event loop (NIO's HTTP/1.1 directly, one pool per loop) against a raw
/// server that misbehaves on purpose: stale pooled connections, `Connection: close`, HEAD, chunked bodies, TLS.
@Suite("Live HTTP transport on event loops: pooled connections and TLS", .timeLimit(.minutes(2)))
struct LoopPoolTests {
    /// Runs `body` on one of the process group's event loops, as the HTTP server runs a request.
    static func onLoop<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.next())) { try await body() }
    }

    static func with(
        tls: Bool = false, trusting: Bool = true, _ body: (ScriptedHTTPServer, LiveHTTPTransport) async throws -> Void
    ) async throws {
        try await ScriptedHTTPServer.with(tls: tls) { server in
            var configuration = LiveHTTPTransport.Configuration()
            if trusting, let certificate = server.certificate {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .certificates([certificate])
                configuration.tlsConfiguration = tls
            }
            let transport = LiveHTTPTransport(configuration: configuration)
            do {
                try await onLoop { try await body(server, transport) }
            } catch {
                await transport.shutdown()
                throw error
            }
            await transport.shutdown()
        }
    }

    static func text(_ response: QuiltHTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test("A pooled connection the server closed under a request is replaced for idempotent methods, never for POST")
    func staleConnection() async throws {
        try await Self.with { server, transport in
            #expect(Self.text(try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/once")))) == "ok")
            // The pooled connection is dropped on its second request: the GET goes again on a new one.
            #expect(Self.text(try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/once")))) == "ok")
            #expect(server.connections == 2)
            // A POST may have been acted on: it fails (retryable) rather than being sent twice.
            let error = try await #require(throws: QuiltOpsError.self) {
                _ = try await transport.send(QuiltHTTPRequest(method: "POST", url: server.url("/once"), body: Array("x".utf8)))
            }
            #expect(error.kind == "transient" && error.message.contains("closed before a response"), "\(error)")
            #expect(server.connections == 2)
            #expect(Self.text(try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok")))) == "ok")
            #expect(server.connections == 3)
        }
    }

    @Test("A pooled connection the server closed while idle is dropped, and the next request opens a new one")
    func closedWhileIdle() async throws {
        try await Self.with { server, transport in
            #expect(Self.text(try await transport.send(QuiltHTTPRequest(method: "POST", url: server.url("/idle-close")))) == "ok")
            try await Task.sleep(for: .milliseconds(500))
            // A POST is never sent twice, so this one succeeding shows the closed connection was not tried.
            #expect(Self.text(try await transport.send(QuiltHTTPRequest(method: "POST", url: server.url("/ok")))) == "ok")
            #expect(server.connections == 2)
        }
    }

    @Test("A connection either side says to close is not kept; others are reused")
    func connectionClose() async throws {
        try await Self.with { server, transport in
            #expect(Self.text(try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/close")))) == "ok")
            _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok")))
            _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok")))
            #expect(server.connections == 2)
            _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok"), headers: [HTTPField("Connection", "close")]))
            _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok")))
            #expect(server.connections == 3)
        }
    }

    @Test("HEAD reads a declared length and no body; a chunked body arrives whole; the connection is reused after both")
    func headAndChunked() async throws {
        try await Self.with { server, transport in
            let head = try await transport.send(QuiltHTTPRequest(method: "HEAD", url: server.url("/head"), maxResponseBytes: 10))
            #expect(head.status == 200 && head.body.isEmpty && head.header("content-length") == "1000")
            let chunked = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/chunked")))
            #expect(Self.text(chunked) == "abcdef" && chunked.header("x-probe") == "chunked")
            #expect(server.connections == 1)
        }
    }

    @Test("TLS: a trusted certificate for the host name is accepted and its connection reused")
    func tlsTrusted() async throws {
        try await Self.with(tls: true) { server, transport in
            for _ in 0..<3 {
                let got = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok", host: "localhost")))
                #expect(Self.text(got) == "ok")
            }
            #expect(server.connections == 1)
        }
    }

    @Test("TLS: a certificate not trusted here, or for another name, is a configuration problem named as such",
          arguments: [(false, "localhost", "not trusted"), (true, "127.0.0.1", "for another host name")])
    func tlsRefused(trusting: Bool, host: String, says: String) async throws {
        try await Self.with(tls: true, trusting: trusting) { server, transport in
            let error = try await #require(throws: QuiltOpsError.self) {
                _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok", host: host)))
            }
            #expect(error.kind == "remote" && error.message.contains(says), "\(error)")
        }
    }
}
