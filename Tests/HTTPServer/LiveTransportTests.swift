import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import QuiltContract
import QuiltHTTP
import QuiltHTTPServer
import Synchronization
import Testing

/// The live transport against an in-process HTTP server: what `send` returns and refuses, and that requests made
/// on an event loop (as the HTTP server's are) keep one pooled connection on that loop.
///
/// Each behaviour is checked from any thread (AsyncHTTPClient) and from an event loop (``LoopPoolTests``' path).
@Suite("Live HTTP transport", .timeLimit(.minutes(2)))
struct LiveTransportTests {
    /// Runs `body` on an event loop of the process group when `onLoop`, else where the test runs.
    static func run(onLoop: Bool, _ body: () async throws -> Void) async throws {
        if onLoop { try await LoopPoolTests.onLoop(body) } else { try await body() }
    }

    @Test("A whole response: status, headers and body; a POST body reaches the server", arguments: [false, true])
    func roundTrip(onLoop: Bool) async throws {
        try await TestHTTPServer.with { server, transport in try await Self.run(onLoop: onLoop) {
            let got = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok")))
            #expect(got.status == 200)
            #expect(got.header("x-probe") == "yes")
            #expect(String(decoding: got.body, as: UTF8.self) == "hello")
            let echoed = try await transport.send(QuiltHTTPRequest(method: "POST", url: server.url("/echo"), body: Array("ping".utf8)))
            #expect(String(decoding: echoed.body, as: UTF8.self) == "ping")
        } }
    }

    @Test("A body over the limit is refused by its declared length, or as it arrives when none is declared", arguments: [
        ("/declared", "(100 bytes)", false), ("/chunked", nil, false), ("/declared", "(100 bytes)", true), ("/chunked", nil, true),
    ] as [(String, String?, Bool)])
    func tooLarge(path: String, declared: String?, onLoop: Bool) async throws {
        try await TestHTTPServer.with { server, transport in try await Self.run(onLoop: onLoop) {
            let error = try await #require(throws: QuiltOpsError.self) {
                _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url(path), maxResponseBytes: 10))
            }
            #expect(error.kind == "too_large")
            if let declared { #expect(error.message.contains(declared)) } else { #expect(!error.message.contains("bytes)")) }
        } }
    }

    @Test("A head slower than the request's timeout fails as retryable; a fast head with a body after it does not",
          arguments: [false, true])
    func headDeadline(onLoop: Bool) async throws {
        // Generous times: under the whole suite's load a head can take seconds to cross the loopback.
        try await TestHTTPServer.with { server, transport in try await Self.run(onLoop: onLoop) {
            let error = try await #require(throws: QuiltOpsError.self) {
                _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/slow-head"), timeout: .seconds(1)))
            }
            #expect(error.kind == "transient")
            #expect(error.message.contains("deadline"))
            let slowBody = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/slow-body"), timeout: .seconds(8)))
            #expect(String(decoding: slowBody.body, as: UTF8.self) == "late")
        } }
    }

    @Test("Silence longer than the read timeout after the head fails as retryable", arguments: [false, true])
    func readTimeout(onLoop: Bool) async throws {
        var configuration = LiveHTTPTransport.Configuration()
        configuration.readTimeout = .seconds(1)  // the body's second part comes 10 s after its first
        try await TestHTTPServer.with(configuration) { server, transport in try await Self.run(onLoop: onLoop) {
            let error = try await #require(throws: QuiltOpsError.self) {
                _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/slow-body")))
            }
            #expect(error.kind == "transient" && error.message.lowercased().contains("read"), "\(error)")
        } }
    }

    @Test("Cancelling the caller's task ends the request as cancelled", arguments: [false, true])
    func cancellation(onLoop: Bool) async throws {
        try await TestHTTPServer.with { server, transport in
            let loop: (any TaskExecutor)? = onLoop ? EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.next()) : nil
            let task = Task(executorPreference: loop) {
                try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/slow-head")))
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let error = try await #require(throws: QuiltOpsError.self) { _ = try await task.value }
            #expect(error.kind == "cancelled")
        }
    }

    @Test("Requests made on event loops keep one connection per loop, reused, and resume on their loop")
    func onLoop() async throws {
        try await TestHTTPServer.with { server, transport in
            let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator().prefix(2))
            var stayed = 0
            for round in 0..<20 {
                let loop = loops[round % loops.count]
                let resumedThere = try await withTaskExecutorPreference(EventLoopExecutor(loop)) {
                    _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: server.url("/ok")))
                    return MultiThreadedEventLoopGroup.currentEventLoop === loop
                }
                if resumedThere { stayed += 1 }
            }
            #expect(stayed == 20)
            // One pool over every loop would use a single connection for all; a connection opened per request, 20.
            #expect(server.clientPorts.count == loops.count)
        }
    }
}

/// An HTTP server on 127.0.0.1 with the routes the tests above need; it records the client port of each request.
final class TestHTTPServer: Sendable {
    private let ports = Mutex<Set<Int>>([])
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let bound = Mutex(0)
    var port: Int { bound.withLock { $0 } }

    /// Runs `body` with a started server and a transport of its own, then stops both.
    static func with(
        _ configuration: LiveHTTPTransport.Configuration = .init(), _ body: (TestHTTPServer, LiveHTTPTransport) async throws -> Void
    ) async throws {
        let server = TestHTTPServer()
        try await server.start()
        let transport = LiveHTTPTransport(configuration: configuration)
        do {
            try await body(server, transport)
        } catch {
            await transport.shutdown()
            server.stop()
            throw error
        }
        await transport.shutdown()
        server.stop()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The client ports requests came from.
    var clientPorts: Set<Int> { ports.withLock { $0 } }

    private func start() async throws {
        let router = Router(context: PortContext.self)
        router.middlewares.add(PortRecorder(ports: self))
        router.get("ok") { _, _ in
            Response(status: .ok, headers: HTTPFields([.init(name: .init("x-probe")!, value: "yes")]), body: .init(byteBuffer: ByteBuffer(string: "hello")))
        }
        router.post("echo") { request, _ in
            Response(status: .ok, body: .init(byteBuffer: try await request.body.collect(upTo: 1 << 20)))
        }
        router.get("declared") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: 100))) }
        router.get("chunked") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                for _ in 0..<10 { try await writer.write(ByteBuffer(repeating: 0x61, count: 10)) }
                try await writer.finish(nil)
            })
        }
        router.get("slow-head") { _, _ in
            try await Task.sleep(for: .seconds(60))
            return Response(status: .ok)
        }
        router.get("slow-body") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "l"))  // the head goes with this
                try await Task.sleep(for: .seconds(10))
                try await writer.write(ByteBuffer(string: "ate"))
                try await writer.finish(nil)
            })
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "test-http-server")
        quiet.logLevel = .critical  // stopping by cancellation logs errors that say nothing here
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: quiet)
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        for await p in ports { bound.withLock { $0 = p } }
    }

    private func stop() { task.withLock { $0?.cancel() } }

    fileprivate func record(_ port: Int) { _ = ports.withLock { $0.insert(port) } }
}

/// A request context that knows the client's port.
struct PortContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let clientPort: Int
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientPort = source.channel.remoteAddress?.port ?? -1
    }
}

struct PortRecorder: RouterMiddleware {
    let ports: TestHTTPServer
    func handle(_ request: Request, context: PortContext, next: (Request, PortContext) async throws -> Response) async throws -> Response {
        ports.record(context.clientPort)
        return try await next(request, context)
    }
}
