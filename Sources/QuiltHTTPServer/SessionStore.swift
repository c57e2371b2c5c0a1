import FoundationEssentials
import Logging
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltProtocol
import QuiltServer

/// `/mcp` with sessions (local HTTP: state=persistent and tenancy=single, handshake era): one ``SessionTransport`` per
/// session — `initialize` creates it and returns `Mcp-Session-Id`, POST answers arrive as Server-Sent Events (a
/// call's progress notifications on its own stream, before its result), GET opens the session's stream for other
/// server notifications, DELETE ends it, and `notifications/cancelled` reaches the running call. Each request is
/// answered by the protocol core with a backend for the credentials of the HTTP request that carried it.
///
/// A session belongs to the caller that created it (tenant, else subject, else token digest): another caller
/// presenting its id gets 404. At most ``capacity`` sessions are kept; idle ones expire after ``idleTimeout``.
actor SessionStore {
    private struct Session {
        let transport: SessionTransport
        let owner: String?
        var lastUse: ContinuousClock.Instant
    }

    let mode: Mode
    let logger: Logger
    /// The server context for one request of a session, from the credentials of the HTTP request that carried it.
    private let makeContext: @Sendable (RequestCredentials?) async -> ServerContext
    let capacity: Int
    let idleTimeout: Duration
    private var sessions: [String: Session] = [:]
    private var closed = false

    init(mode: Mode, logger: Logger, capacity: Int = 256, idleTimeout: Duration = .seconds(3600),
         makeContext: @escaping @Sendable (RequestCredentials?) async -> ServerContext) {
        self.mode = mode
        self.logger = logger
        self.capacity = capacity
        self.idleTimeout = idleTimeout
        self.makeContext = makeContext
    }

    /// Routes `request` from the caller `owner` to its session, or creates one for an `initialize`.
    func handle(_ request: SessionRequest, owner: String?) async -> SessionResponse {
        guard !closed else {
            return .error(statusCode: 503, .internalError("The server is shutting down"))
        }
        if let id = request.header(SessionHeaders.sessionID) {
            guard var session = sessions[id], session.owner == owner else {
                return .error(statusCode: 404, .invalidRequest("Not Found: Session not found or expired"))
            }
            session.lastUse = .now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                sessions.removeValue(forKey: id)
            }
            return response
        }
        guard request.method.uppercased() == "POST", Self.isInitialize(request.body) else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: Missing \(SessionHeaders.sessionID) header"))
        }
        return await create(request, owner: owner)
    }

    private func create(_ request: SessionRequest, owner: String?) async -> SessionResponse {
        expire()
        let transport = SessionTransport(mode: mode, logger: logger, serve: Self.serve(makeContext))
        let response = await transport.handleRequest(request)
        guard response.statusCode == 200, let id = response.headers[SessionHeaders.sessionID] else { return response }
        sessions[id] = Session(transport: transport, owner: owner, lastUse: .now)
        logger.info("session started", metadata: ["sessions": "\(sessions.count)"])
        return response
    }

    /// How a session answers a request: `initialize` from the core's handshake (kept by the transport); anything
    /// else by the core in the negotiated version, with the backend of the HTTP request's credentials and the
    /// call's cancellation switch. A call that gives up ends its stream without an answer.
    static func serve(_ makeContext: @escaping @Sendable (RequestCredentials?) async -> ServerContext) -> SessionTransport.Serve {
        { transport, request, http, switchboard in
            var context = await makeContext(http.credentials)
            context.cancellation = switchboard
            let core = QuiltMCPServer.core(context: context)
            if request.method == "initialize" {
                let handshake = core.initialize(request.params)
                await transport.setHandshake(handshake)
                await transport.send(Outgoing.result(id: request.id, handshake.result))
                return
            }
            let handshake = await transport.handshake
            let version = http.header(SessionHeaders.protocolVersion) ?? handshake?.version ?? ProtocolVersion.latestHandshake
            let answer = await core.answer(
                request, era: .handshake(version), clientCapabilities: handshake?.clientCapabilities ?? [:],
                clientInfo: handshake?.clientInfo, logLevel: nil, sink: { await transport.send($0) },
                requester: { method, params in try await transport.ask(method, params, about: request.key) })
            if let answer { await transport.send(answer) } else { await transport.end(request.key) }
            _ = transport.calls.end(request.key)
        }
    }

    /// Forgets idle sessions, then the least recently used ones beyond capacity (minus one for the new one).
    private func expire() {
        let now = ContinuousClock.now
        for (id, session) in sessions where now - session.lastUse > idleTimeout {
            end(id)
        }
        while sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            end(oldest)
        }
    }

    private func end(_ id: String) {
        guard let session = sessions.removeValue(forKey: id) else { return }
        Task { await session.transport.close() }
    }

    /// Ends every session (their streams close) and refuses new requests: graceful shutdown.
    func closeAll() async {
        closed = true
        let all = sessions.values
        sessions.removeAll()
        for session in all { await session.transport.close() }
    }

    /// How many sessions are open.
    var count: Int { sessions.count }

    private static func isInitialize(_ body: Data?) -> Bool {
        guard let body, case .object(let message)? = try? JSONParser.parse(body) else { return false }
        return message["method"]?.stringValue == "initialize" && message.position(ofKey: "id") != nil
    }
}
