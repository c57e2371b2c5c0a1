import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import QuiltContract
import Synchronization

/// HTTP/1.1 for whole-response requests made on one of the process group's event loops (an HTTP server's requests
/// run on their connection's loop). Each loop keeps its own idle connections per origin, so a request, its
/// connection and the wake-up with its answer stay on the calling thread, and a request goes out in one write.
///
/// Same behaviour as the transport's AsyncHTTPClient path: TLS with the system's trust roots and SNI, no redirects,
/// no decompression, the head by the request's deadline, silence bounded by the read timeout, the body bounded by
/// the request's limit. At most `keepPerOrigin` idle connections are kept per loop and origin; a burst beyond opens
/// connections that are closed after use. A request an idle connection's server closed under it (nothing of a
/// response came back) is sent once more on a new connection when its method is idempotent.
final class LoopHTTP1Pool: Sendable {
    struct Settings: Sendable {
        var connectTimeout: TimeAmount
        var readTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var keepPerOrigin: Int
        /// Nil for the system's trust roots with full verification (made with the first TLS connection, so a process
        /// that never makes one never touches NIOSSL).
        var tls: TLSConfiguration?
    }

    private typealias Connection = NIOLoopBound<LoopHTTP1Connection>

    private struct Key: Hashable {
        let loop: ObjectIdentifier
        let origin: String
    }

    private struct Idle {
        let connection: Connection
        let since: NIODeadline
    }

    private struct State {
        var idle: [Key: [Idle]] = [:]
        var isShutDown = false
    }

    private let settings: Settings
    private let state = Mutex(State())
    /// Made on the first `https` request: it loads the system's trust roots.
    private let tlsContext = Mutex<NIOSSLContext?>(nil)

    init(_ settings: Settings) { self.settings = settings }

    // MARK: - Requests

    /// Sends `request` (to `url`, its parsed URL) from `loop`, the event loop the caller runs on, and reads the whole
    /// response.
    /// - Throws: `QuiltOpsError.tooLarge` over the request's limit, `.remote` after ``shutdown()``; otherwise the
    ///   connection's failure (``LoopHTTP1Connection/Failure``, NIO's and NIOSSL's errors) for the transport to map.
    func send(_ request: QuiltHTTPRequest, url: HTTPURL, on loop: any EventLoop, deadline: NIODeadline) async throws
        -> QuiltHTTPResponse
    {
        let key = Key(loop: ObjectIdentifier(loop), origin: url.origin)
        let head = Self.head(request, url: url)
        let body = LiveHTTPTransport.sendsBody(request) ? ByteBuffer(bytes: request.body) : nil
        var (connection, reused) = try await lease(key, url: url, on: loop, deadline: deadline)
        while true {
            do {
                let collected = try await Self.execute(
                    connection, head, body: body, limit: request.maxResponseBytes, deadline: deadline, on: loop)
                try await giveBack(connection, key: key, reusable: collected.reusable, on: loop)
                return QuiltHTTPResponse(
                    status: Int(collected.head.status.code), headers: LiveHTTPTransport.fields(collected.head.headers),
                    body: collected.body.getBytes(at: collected.body.readerIndex, length: collected.body.readableBytes) ?? [])
            } catch LoopHTTP1Connection.Failure.closedBeforeResponse where reused && Self.isIdempotent(head.method) {
                (connection, reused) = (try await connect(url, on: loop, deadline: deadline), false)
            } catch LoopHTTP1Connection.Failure.tooLarge(let declared) {
                throw request.responseTooLarge(declared)
            }
        }
    }

    private static func execute(
        _ connection: Connection, _ head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline,
        on loop: any EventLoop
    ) async throws -> LoopHTTP1Connection.Collected {
        let future =
            loop.inEventLoop
            ? connection.value.execute(head, body: body, limit: limit, deadline: deadline)
            : loop.flatSubmit { connection.value.execute(head, body: body, limit: limit, deadline: deadline) }
        return try await withTaskCancellationHandler {
            try await future.get()
        } onCancel: {
            loop.execute { connection.value.cancel(CancellationError()) }
        }
    }

    /// The request head: the request's own fields, and `Host` and `Content-Length` where it has none (as
    /// AsyncHTTPClient adds them).
    static func head(_ request: QuiltHTTPRequest, url: HTTPURL) -> HTTPRequestHead {
        var headers = HTTPHeaders(request.headers.map { ($0.name, $0.value) })
        if !headers.contains(name: "Host") { headers.add(name: "Host", value: url.hostHeader) }
        if LiveHTTPTransport.sendsBody(request), !headers.contains(name: "Content-Length") {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        let target = url.query.map { url.path + "?" + $0 } ?? url.path
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target, headers: headers)
    }

    /// Methods that mean the same when sent twice (RFC 9110 §9.2.2): only these are sent again after a stale close.
    static func isIdempotent(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .PUT, .DELETE, .OPTIONS, .TRACE: true
        default: false
        }
    }

    // MARK: - Connections

    /// The newest open idle connection for `key` (closing those idle too long), or a new one.
    private func lease(_ key: Key, url: HTTPURL, on loop: any EventLoop, deadline: NIODeadline) async throws
        -> (Connection, reused: Bool)
    {
        let idleTimeout = settings.idleTimeout
        while true {
            let now = NIODeadline.now()
            let (candidate, stale, shutDown) = state.withLock { s -> (Connection?, [Connection], Bool) in
                guard !s.isShutDown else { return (nil, [], true) }
                var stale: [Connection] = []
                while let idle = s.idle[key]?.popLast() {
                    if now - idle.since < idleTimeout { return (idle.connection, stale, false) }
                    stale.append(idle.connection)
                }
                return (nil, stale, false)
            }
            if shutDown { throw QuiltOpsError.remote("the HTTP transport was shut down.", retryable: false) }
            if !stale.isEmpty { try await Self.onLoop(loop) { for c in stale { c.value.close() } } }
            guard let candidate else { return (try await connect(url, on: loop, deadline: deadline), false) }
            // One the server closed while it was idle is dropped here (its channel went inactive).
            if try await Self.onLoop(loop, { candidate.value.isOpen }) { return (candidate, true) }
        }
    }

    private func giveBack(_ connection: Connection, key: Key, reusable: Bool, on loop: any EventLoop) async throws {
        let kept = reusable && state.withLock { s -> Bool in
            guard !s.isShutDown, s.idle[key, default: []].count < settings.keepPerOrigin else { return false }
            s.idle[key, default: []].append(Idle(connection: connection, since: .now()))
            return true
        }
        if !kept { try await Self.onLoop(loop) { connection.value.close() } }
    }

    /// A new connection; making it (TCP and the TLS handshake's start) is bounded by the connect timeout and by the
    /// request's deadline, whichever comes first.
    private func connect(_ url: HTTPURL, on loop: any EventLoop, deadline: NIODeadline) async throws -> Connection {
        let left = deadline - .now()
        guard left > .zero else { throw LoopHTTP1Connection.Failure.deadlineExceeded }
        let host = url.host.hasPrefix("[") ? String(url.host.dropFirst().dropLast()) : url.host
        let isTLS = url.scheme == "https"
        let port = url.port ?? (isTLS ? 443 : 80)
        let tls = isTLS ? try context() : nil
        // SNI takes a name, never an address (NIOSSL refuses one); an address is checked against the certificate.
        let serverName = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        let readTimeout = settings.readTimeout
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(min(settings.connectTimeout, left))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                    // Any silence this long ends the connection: during a request it is the read timeout (the request
                    // written resets it); while pooled it closes the idle connection.
                    try pipeline.addHandler(IdleStateHandler(allTimeout: readTimeout))
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(LoopHTTP1Connection(loop: channel.eventLoop))
                }
            }
            .connect(host: host, port: port).get()
        return try await Self.onLoop(loop) {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: LoopHTTP1Connection.self), eventLoop: loop)
        }
    }

    private func context() throws -> NIOSSLContext {
        try tlsContext.withLock { made in
            if let made { return made }
            let context = try NIOSSLContext(configuration: settings.tls ?? .makeClientConfiguration())
            made = context
            return context
        }
    }

    /// Closes the idle connections; requests made afterwards fail.
    func shutdown() {
        let idle = state.withLock { s -> [Connection] in
            s.isShutDown = true
            defer { s.idle = [:] }
            return s.idle.values.flatMap { $0.map(\.connection) }
        }
        for connection in idle { connection.eventLoop.execute { connection.value.close() } }
    }

    /// Runs `body` on `loop`: at once when the caller is on it (the usual case), else by submitting it.
    private static func onLoop<T: Sendable>(_ loop: any EventLoop, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        if loop.inEventLoop { return try body() }
        return try await loop.submit(body).get()
    }
}
