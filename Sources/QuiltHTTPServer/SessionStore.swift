import Foundation
import Logging
import MCP
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltServer

/// `/mcp` with sessions (local HTTP: state=persistent and tenancy=single): one MCP server per session on its own
/// ``SessionTransport`` — `initialize` creates it and returns `Mcp-Session-Id`, POST answers arrive as Server-Sent
/// Events (a call's progress notifications on its own stream, before its result), GET opens the session's stream
/// for other server notifications, DELETE ends it, and `notifications/cancelled` reaches the running call.
///
/// A session belongs to the caller that created it (tenant, else subject, else token digest): another caller
/// presenting its id gets 404. At most ``capacity`` sessions are kept; idle ones expire after ``idleTimeout``.
actor SessionStore {
    private struct Session {
        let server: MCP.Server
        let transport: SessionTransport
        let owner: String?
        var lastUse: ContinuousClock.Instant
    }

    let mode: Mode
    let logger: Logger
    /// The context of a new session's server, given its exact-JSON store.
    private let makeContext: @Sendable (ExactJSONStore) async -> ServerContext
    let capacity: Int
    let idleTimeout: Duration
    private var sessions: [String: Session] = [:]
    private var closed = false

    init(mode: Mode, logger: Logger, capacity: Int = 256, idleTimeout: Duration = .seconds(3600),
         makeContext: @escaping @Sendable (ExactJSONStore) async -> ServerContext) {
        self.mode = mode
        self.logger = logger
        self.capacity = capacity
        self.idleTimeout = idleTimeout
        self.makeContext = makeContext
    }

    /// Routes `request` from the caller `owner` to its session, or creates one for an `initialize`.
    func handle(_ request: MCP.HTTPRequest, owner: String?) async -> MCP.HTTPResponse {
        guard !closed else {
            return .error(statusCode: 503, .internalError("The server is shutting down"))
        }
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id], session.owner == owner else {
                return .error(statusCode: 404, .invalidRequest("Not Found: Session not found or expired"))
            }
            session.lastUse = .now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                sessions.removeValue(forKey: id)
                await session.server.stop()
            }
            return response
        }
        guard request.method.uppercased() == "POST", Self.isInitialize(request.body) else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: Missing \(HTTPHeaderName.sessionID) header"))
        }
        return await create(request, owner: owner)
    }

    private func create(_ request: MCP.HTTPRequest, owner: String?) async -> MCP.HTTPResponse {
        expire()
        let store = ExactJSONStore()
        let transport = SessionTransport(validation: ValidationPipelines.sessions(mode), logger: logger)
        var context = await makeContext(store)
        context.calls = transport.calls
        let server = await QuiltMCPServer.make(context: context)
        do {
            try await server.start(transport: ExactJSONTransport(wrapping: transport, store: store, logger: logger))
        } catch {
            return .error(statusCode: 500, .internalError("could not start a session: \(error)"))
        }
        let response = await transport.handleRequest(request)
        guard response.statusCode == 200, let id = response.headers[HTTPHeaderName.sessionID] else {
            await server.stop()
            return response
        }
        sessions[id] = Session(server: server, transport: transport, owner: owner, lastUse: .now)
        logger.info("session started", metadata: ["sessions": "\(sessions.count)"])
        return response
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
        Task { await session.server.stop() }
    }

    /// Ends every session (their streams close) and refuses new requests: graceful shutdown.
    func closeAll() async {
        closed = true
        let all = sessions.values
        sessions.removeAll()
        for session in all { await session.server.stop() }
    }

    /// How many sessions are open.
    var count: Int { sessions.count }

    private static func isInitialize(_ body: Data?) -> Bool {
        guard let body, case .object(let message)? = try? JSONParser.parse(body) else { return false }
        return message["method"]?.stringValue == "initialize" && message["id"] != nil
    }
}
