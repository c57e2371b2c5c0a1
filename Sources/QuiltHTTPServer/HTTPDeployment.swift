import FoundationEssentials
import Hummingbird
import Logging
import QuiltContract
package import QuiltMode
import QuiltProtocol
import QuiltServer
import ServiceLifecycle
import UnixSignals

/// The MCP server over streamable HTTP on Hummingbird: `/mcp` and `GET /health`, bound to the mode's host and
/// port, with bearer-token authentication (auth=jwt), per-tenant backends (tenancy=multi) and graceful shutdown
/// on SIGTERM/SIGINT (requests in flight finish; sessions end after them).
///
/// Remote deployments (state=stateless or tenancy=multi) answer each POST as one exchange (``StatelessEndpoint``);
/// local HTTP keeps sessions (``SessionStore``) for the handshake era and answers 2026-07-28 requests (named by their
/// `MCP-Protocol-Version` header) as single exchanges too.
package enum HTTPDeployment {
    /// True when `mode` is served without sessions.
    package static func isStateless(_ mode: Mode) -> Bool {
        mode.state == .stateless || mode.tenancy == .multi
    }

    /// Serves until SIGTERM or SIGINT, then returns the exit status: 0 after a graceful shutdown, 1 when the
    /// address cannot be bound. Prints `quilt-mcp: serving MCP over streamable HTTP at http://HOST:PORT/mcp …`
    /// on standard error once listening.
    package static func run(mode: Mode) async -> Int32 {
        let logger = ServerLogging.logger("quilt-mcp.http", mode: mode)
        let authenticator = await Authenticator(mode: mode)
        let backends = CallerBackends(mode: mode)
        let inFlight = InFlightRequests(limit: mode.limits.requests, callerLimit: mode.limits.callerRequests)
        let stateless = isStateless(mode)
        // A registry backend is made without I/O: a failure now is a configuration problem worth saying at start-up.
        if mode.api == .registry, case .failure(let error) = await backends.backend(for: nil) {
            logger.warning("no backend: every tool call will fail", metadata: ["kind": "\(error.kind)", "error": "\(error.message)"])
        }
        let sessions: SessionStore? = stateless ? nil : makeSessions(mode, backends, logger)
        let endpoint = StatelessEndpoint(mode: mode, backends: backends, logger: logger)

        let router = Router(context: MCPRequestContext.self)
        router.get("health") { _, _ in HTTPBridge.json(HealthEndpoint.body(mode, sessions: !stateless)) }
        ProtectedResourceEndpoint.register(on: router, mode: mode)
        let mcp = router.group("mcp")
        if authenticator.requiresBearer { mcp.add(middleware: BearerAuthMiddleware(authenticator: authenticator)) }
        let route: @Sendable (Request, MCPRequestContext) async throws -> Response
        let exchange: @Sendable (Request, MCPRequestContext) async throws -> Response = { request, context in
            let caller = context.credentials?.cacheKey
            if let refused = inFlight.admit(caller: caller) {
                return InFlightRequests.response(refused, limits: mode.limits)
            }
            do {
                return try await endpoint.handle(request, context: context) { inFlight.end(caller: caller) }
            } catch let error as HTTPError where error.status == .contentTooLarge {
                ServerMetrics.rejected(.bodyTooLarge)
                throw error
            }
        }
        if let sessions {
            route = { request, context in
                let version = request.headers.first { $0.name.canonicalName == "mcp-protocol-version" }?.value
                if let version, !ProtocolVersion.isHandshake(version) {
                    return try await exchange(request, context)  // 2026-07-28: one exchange, no session
                }
                return try await sessionRoute(request, context, sessions, inFlight, mode)
            }
        } else {
            route = exchange
        }
        mcp.post(use: route)
        mcp.get(use: route)
        mcp.delete(use: route)

        let verification = mode.jwtVerification.map { "\($0)" } ?? "off"
        let app = Application(
            router: router,
            // Hummingbird closes a connection that has read nothing for this long while idle or mid-request; one
            // whose request is being answered is left alone. A stalled body thus frees its admission slot.
            server: .http1OnEventLoop(configuration: .init(idleTimeout: .seconds(Int64(mode.limits.idleSeconds)))),
            configuration: .init(address: .hostname(mode.host, port: mode.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? mode.port
                announce("serving MCP over streamable HTTP at http://\(mode.host):\(port)/mcp "
                    + "(\(stateless ? "stateless" : "sessions"), auth=\(mode.auth.rawValue), "
                    + "tenancy=\(mode.tenancy.rawValue), token verification \(verification))")
            },
            logger: logger)
        let shutdown = DrainThenEndSessions(inFlight: inFlight, sessions: sessions, logger: logger)
        var services: [any Service] = [app, shutdown]
        if let metricsPort = mode.metricsPort {
            ServerMetrics.bootstrap()
            services.append(ServerMetrics.application(host: mode.host, port: metricsPort, logger: logger))
        }
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
            logger.info("shut down gracefully")
            return 0
        } catch {
            announce("could not serve HTTP on \(mode.host):\(mode.port): \(error)")
            return 1
        }
    }

    /// One session answers many HTTP requests; each request acts with its own request's credentials (verified by
    /// ``BearerAuthMiddleware`` when auth=jwt).
    private static func makeSessions(_ mode: Mode, _ backends: CallerBackends, _ logger: Logger) -> SessionStore {
        SessionStore(mode: mode, logger: logger) { credentials in
            ServerContext(mode: mode, backend: await backends.backend(for: credentials), credentials: credentials, logger: logger)
        }
    }

    private static func sessionRoute(
        _ request: Request, _ context: MCPRequestContext, _ sessions: SessionStore, _ inFlight: InFlightRequests,
        _ mode: Mode
    ) async throws -> Response {
        let isPost = request.method == .post
        let caller = context.credentials?.cacheKey
        if isPost, let refused = inFlight.admit(caller: caller) {
            return InFlightRequests.response(refused, limits: mode.limits)
        }
        let body: ByteBuffer?
        do {
            body = isPost ? try await request.body.collect(upTo: mode.limits.requestBytes) : nil
        } catch {
            if isPost { inFlight.end(caller: caller) }
            if let error = error as? HTTPError, error.status == .contentTooLarge { ServerMetrics.rejected(.bodyTooLarge) }
            throw error
        }
        let owner = context.credentials.map(\.ownerKey)
        let response = await sessions.handle(HTTPBridge.sessionRequest(request, body: body, credentials: context.credentials), owner: owner)
        var onFinish: (@Sendable () -> Void)?
        if isPost { onFinish = { inFlight.end(caller: caller) } }
        return HTTPBridge.response(response, onFinish: onFinish)
    }

    /// One line on standard error, whatever the log level (standard output may carry other things).
    static func announce(_ text: String) {
        _ = LineOutput.writeAll(fd: 2, Array("quilt-mcp: \(text)\n".utf8))
    }
}

/// On graceful shutdown (before the HTTP server stops): waits up to 30 s for `/mcp` requests in flight, then ends
/// every session so their event streams close and the server can stop.
struct DrainThenEndSessions: Service {
    let inFlight: InFlightRequests
    let sessions: SessionStore?
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        Closing.httpServer.fire()  // subscriptions/listen streams end with their result
        let pending = inFlight.current
        if pending > 0 { logger.info("shutting down: letting requests in flight finish", metadata: ["count": "\(pending)"]) }
        await inFlight.waitUntilIdle(timeout: .seconds(30))
        await sessions?.closeAll()
    }
}
