import FoundationEssentials
import Logging
import QuiltJSON
import QuiltMode
import QuiltProtocol
import QuiltServer
import Synchronization

/// One session's streamable-HTTP transport (local HTTP, the handshake era).
///
/// - POST `initialize` starts the session (`Mcp-Session-Id`). Every POST request is answered as Server-Sent Events
///   on its own stream: a priming event, the request's progress notifications, then its response, and the stream
///   ends. Client notifications and responses are accepted with 202; `notifications/cancelled` reaches ``calls``.
/// - GET opens the session's one stream for other server messages; `Last-Event-ID` resumes any stream from the
///   replay log (a finished request's stream is replayed and ended).
/// - DELETE ends the session: every stream ends and later requests get 404.
///
/// Each request read is handed to ``serve`` (which answers through ``send(_:)``); without one, requests wait for
/// ``send(_:)`` (the transport's tests play the server). What swift-sdk's stateful transport did differently, and why
/// this one exists (docs/design/http-and-jwt.md): it sent a
/// call's progress on the GET stream, which a client may open only after the call started (the progress was lost);
/// it kept every message of the session for replay for the session's whole life, and the stream and request
/// (body included) of every call cancelled without an answer. Here progress goes on the call's stream, the replay
/// log is bounded (``ReplayLog``), and a call that gives up ends its stream and is forgotten.
actor SessionTransport {
    /// Serves one request read from an HTTP request: answers it with ``send(_:)`` (or ends its stream with
    /// ``end(_:)`` when it gives up); `switchboard` is the call's cancellation from ``calls``.
    typealias Serve = @Sendable (SessionTransport, QuiltProtocol.Request, SessionRequest, CallCancellation) async -> Void

    nonisolated let logger: Logger
    /// The session's calls: `notifications/cancelled` cancels one; a call that gives up ends its stream.
    nonisolated let calls: CallRegistry
    private let mode: Mode
    private let serve: Serve?
    private let retryInterval: Int?
    private(set) var sessionID: String?
    /// What `initialize` settled (set by ``serve``).
    private(set) var handshake: MCPServerCore.Handshake?
    private var terminated = false

    private struct InFlight {
        var continuation: AsyncThrowingStream<Data, any Error>.Continuation
        let stream: Int
        let progressToken: String?
    }

    /// Requests not answered yet, by key (their id's compact JSON).
    private var inFlight: [String: InFlight] = [:]
    /// Request key by progress-token key (compact JSON).
    private var requestOfToken: [String: String] = [:]
    /// The open GET stream (its events are all of stream 0, whichever GET carried them) and which opening it is.
    private var standalone: (opening: Int, continuation: AsyncThrowingStream<Data, any Error>.Continuation)?
    /// Streams made: request streams are numbered from 1, GET openings counted with them.
    private var streams = 0
    private var log: ReplayLog
    /// Questions sent to the client (elicitation), waiting for the response it POSTs, by their id's key.
    private var questions: [String: CheckedContinuation<Result<JSONObject, RPCError>, Never>] = [:]
    private var nextQuestion = 0

    init(mode: Mode, logger: Logger, replay: ReplayLog = ReplayLog(), retryInterval: Int? = nil, serve: Serve? = nil) {
        self.mode = mode
        self.serve = serve
        self.logger = logger
        self.retryInterval = retryInterval
        self.log = replay
        let box = WeakTransport()
        calls = CallRegistry { key in
            // The call gave up without an answer: its stream ends (MCP: no response to a cancelled request).
            Task { await box.transport?.end(key) }
        }
        box.set(self)
    }

    // MARK: - Outgoing

    /// Records what `initialize` settled.
    func setHandshake(_ handshake: MCPServerCore.Handshake) { self.handshake = handshake }

    /// Routes a server message: a response to its request's stream (which then ends), a progress notification for
    /// a request in flight to that request's stream, anything else to the GET stream. Dropped once the session ended.
    func send(_ value: JSONValue) {
        guard !terminated, case .object(let message) = value else { return }
        let data = Data(JSONWriter.compact(value).utf8)
        if message["method"] == nil, let id = message["id"], message["result"] != nil || message["error"] != nil {
            let key = CallRegistry.key(id)
            guard let call = inFlight.removeValue(forKey: key) else {
                logger.debug("a response for a request no longer in flight", metadata: ["request": "\(key)"])
                return
            }
            if let token = call.progressToken { requestOfToken.removeValue(forKey: token) }
            call.continuation.yield(event(data, stream: call.stream))
            call.continuation.finish()
            return
        }
        if message["method"]?.stringValue == "notifications/progress", message.position(ofKey: "id") == nil,
            let token = message["params"]?["progressToken"], let key = requestOfToken[JSONWriter.compact(token)],
            let call = inFlight[key]
        {
            call.continuation.yield(event(data, stream: call.stream))
            return
        }
        // Kept for replay even with no GET stream open, so a client resuming stream 0 gets it.
        let frame = event(data, stream: 0)
        standalone?.continuation.yield(frame)
    }

    // MARK: - HTTP

    /// Answers one HTTP request of this session (``SessionStore`` has matched its session id).
    func handleRequest(_ request: SessionRequest) -> SessionResponse {
        guard !terminated else {
            return .error(statusCode: 404, .invalidRequest("Not Found: the session has ended"), sessionID: sessionID)
        }
        switch request.method.uppercased() {
        case "POST": return post(request)
        case "GET": return get(request)
        case "DELETE":
            if let refused = validate(request, method: "DELETE") { return refused }
            terminate()
            return .ok(headers: headers())
        default:
            return .error(statusCode: 405, .invalidRequest("Method Not Allowed: use POST, GET or DELETE"),
                          sessionID: sessionID, extraHeaders: ["Allow": "GET, POST, DELETE"])
        }
    }

    private func post(_ request: SessionRequest) -> SessionResponse {
        guard let body = request.body, !body.isEmpty else {
            return .error(statusCode: 400, .parseError("Empty request body: POST one JSON-RPC message"), sessionID: sessionID)
        }
        guard let parsed = try? JSONParser.parse(body), case .object(let message) = parsed else {
            return .error(statusCode: 400, .parseError("The body is not one JSON-RPC message (a JSON object)"),
                          sessionID: sessionID)
        }
        let method = message["method"]?.stringValue
        let id = message["id"].flatMap { $0.stringValue != nil || $0.intValue != nil ? $0 : nil }
        let isInitialize = method == "initialize" && id != nil
        if let refused = validate(request, method: "POST", initialize: isInitialize) { return refused }
        if isInitialize {
            guard sessionID == nil else {
                return .error(statusCode: 400, .invalidRequest("Bad Request: the session is already initialized"),
                              sessionID: sessionID)
            }
            sessionID = UUID().uuidString
        }
        guard let method, let id else {
            guard method != nil || message["result"] != nil || message["error"] != nil else {
                return .error(statusCode: 400, .invalidRequest("Not a JSON-RPC request, notification or response"),
                              sessionID: sessionID)
            }
            if method == nil, let answered = message["id"] { answer(CallRegistry.key(answered), message) }
            if method == "notifications/cancelled", let cancelled = message["params"]?["requestId"] {
                _ = calls.cancel(CallRegistry.key(cancelled))
            }
            return .accepted(headers: headers())
        }
        let key = CallRegistry.key(id)
        guard inFlight[key] == nil else {
            return .error(statusCode: 400, .invalidRequest("Request id \(key) is already in flight in this session; use a new id"),
                          sessionID: sessionID)
        }
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        streams += 1
        let token = message["params"]?["_meta"]?["progressToken"].map { JSONWriter.compact($0) }
        inFlight[key] = InFlight(continuation: continuation, stream: streams, progressToken: token)
        if let token { requestOfToken[token] = key }
        let version = isInitialize
            ? message["params"]?["protocolVersion"]?.stringValue ?? ProtocolVersion.latestHandshake
            : request.header(SessionHeaders.protocolVersion) ?? ProtocolVersion.latestHandshake
        prime(continuation, stream: streams, version: version)
        if let serve, case .request(let parsedRequest) = Incoming.classify(parsed) {
            let switchboard = calls.begin(key)
            Task { await serve(self, parsedRequest, request, switchboard) }
        }
        logger.trace("request", metadata: ["method": "\(method)", "request": "\(key)"])
        return .stream(stream, headers: eventStreamHeaders())
    }

    private func get(_ request: SessionRequest) -> SessionResponse {
        if let refused = validate(request, method: "GET") { return refused }
        if let last = request.header(SessionHeaders.lastEventID) { return resume(after: last, request) }
        guard standalone == nil else {
            return .error(statusCode: 409, .invalidRequest("Conflict: this session's GET stream is already open"),
                          sessionID: sessionID)
        }
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        openStandalone(continuation)
        prime(continuation, stream: 0, version: request.header(SessionHeaders.protocolVersion) ?? ProtocolVersion.latestHandshake)
        return .stream(stream, headers: eventStreamHeaders())
    }

    /// Replays a stream after `lastEventID` and, when more can come on it, keeps it open for that.
    private func resume(after lastEventID: String, _ request: SessionRequest) -> SessionResponse {
        guard let replay = log.events(after: lastEventID) else {
            return .error(statusCode: 400, .invalidRequest(
                "Invalid Last-Event-ID \(lastEventID): unknown, or older than the \(log.maxEvents) events kept for replay"),
                sessionID: sessionID)
        }
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        for (id, message) in replay.events { continuation.yield(SSEFrame.message(message, id: id)) }
        if replay.stream == 0 {
            standalone?.continuation.finish()
            openStandalone(continuation)
        } else if let key = inFlight.first(where: { $0.value.stream == replay.stream })?.key {
            inFlight[key]?.continuation.finish()
            inFlight[key]?.continuation = continuation
        } else {
            continuation.finish()  // the request was answered: its stream is complete
            return .stream(stream, headers: eventStreamHeaders())
        }
        prime(continuation, stream: replay.stream, version: request.header(SessionHeaders.protocolVersion) ?? ProtocolVersion.latestHandshake)
        return .stream(stream, headers: eventStreamHeaders())
    }

    // MARK: - Requests to the client

    /// Sends the client `method` on the stream of the request `key` it is about (as the handshake era's transport
    /// asks), and waits for the response the client POSTs; the session ending or the caller's cancellation stop
    /// the wait.
    func ask(_ method: String, _ params: JSONObject, about key: String) async throws -> JSONObject {
        guard !terminated, let call = inFlight[key] else { throw RPCError.internalError("the request's stream is gone") }
        nextQuestion += 1
        let id = JSONValue.string("quilt-mcp-\(nextQuestion)")
        let questionKey = CallRegistry.key(id)
        let message: JSONValue = ["jsonrpc": "2.0", "id": id, "method": .string(method), "params": .object(params)]
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<JSONObject, RPCError>, Never>) in
                guard !Task.isCancelled else { return continuation.resume(returning: .failure(.internalError("cancelled"))) }
                questions[questionKey] = continuation
                call.continuation.yield(event(Data(JSONWriter.compact(message).utf8), stream: call.stream))
            }
        } onCancel: {
            Task { await self.answer(questionKey, ["error": ["code": -32800, "message": "cancelled"]]) }
        }
        try Task.checkCancellation()
        return try outcome.get()
    }

    /// Routes the client's response to the question it answers.
    private func answer(_ key: String, _ message: JSONObject) {
        guard let question = questions.removeValue(forKey: key) else {
            logger.debug("a response to no open question", metadata: ["id": "\(key)"])
            return
        }
        question.resume(returning: Incoming.outcome(ofResponse: message))
    }

    // MARK: - Ending

    /// Ends the stream of request `key` without an answer (the call gave up) and forgets the request.
    func end(_ key: String) {
        guard let call = inFlight.removeValue(forKey: key) else { return }
        if let token = call.progressToken { requestOfToken.removeValue(forKey: token) }
        call.continuation.finish()
    }

    /// Ends every stream and the session; later requests get 404.
    private func terminate() {
        guard !terminated else { return }
        terminated = true
        for question in questions.values { question.resume(returning: .failure(.internalError("the session ended"))) }
        questions.removeAll()
        for call in inFlight.values { call.continuation.finish() }
        inFlight.removeAll()
        requestOfToken.removeAll()
        standalone?.continuation.finish()
        standalone = nil
        log = ReplayLog(maxEvents: log.maxEvents, maxBytes: log.maxBytes)
    }

    /// Ends the session (the store forgets it, or the server shuts down).
    func close() { terminate() }

    /// Requests in flight, events and message bytes in the replay log (for tests and diagnostics).
    var inFlightCount: Int { inFlight.count }
    var replayCount: Int { log.count }
    var replayBytes: Int { log.bytes }

    // MARK: - Helpers

    private func openStandalone(_ continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        streams += 1
        let opening = streams
        standalone = (opening, continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.standaloneEnded(opening) }
        }
    }

    /// The client closed the GET stream: another may be opened.
    private func standaloneEnded(_ opening: Int) {
        if standalone?.opening == opening { standalone = nil }
    }

    private func validate(_ request: SessionRequest, method: String, initialize: Bool = false) -> SessionResponse? {
        SessionChecks.validate(request, method: method, sessionID: sessionID, initialize: initialize, mode: mode)
    }

    /// A message as an event of `stream`, kept in the replay log.
    private func event(_ message: Data, stream: Int) -> Data {
        SSEFrame.message(message, id: log.append(message, stream: stream))
    }

    /// The priming event (an id, no data) lets a client resume from the start; clients before 2025-03-26 do not
    /// expect events without data.
    private func prime(_ continuation: AsyncThrowingStream<Data, any Error>.Continuation, stream: Int, version: String) {
        guard version >= "2025-03-26" else { return }
        continuation.yield(SSEFrame.priming(id: log.append(nil, stream: stream), retry: retryInterval))
    }

    private func headers() -> [String: String] {
        sessionID.map { [SessionHeaders.sessionID: $0] } ?? [:]
    }

    private func eventStreamHeaders() -> [String: String] {
        var headers = headers()
        headers["Content-Type"] = "text/event-stream"
        headers["Cache-Control"] = "no-cache, no-transform"
        headers["Connection"] = "keep-alive"
        return headers
    }
}

/// The transport, for the call registry's end action (made before the transport is).
private final class WeakTransport: Sendable {
    private let reference = Mutex<WeakReference?>(nil)
    private struct WeakReference: Sendable { weak var value: SessionTransport? }

    func set(_ transport: SessionTransport) { reference.withLock { $0 = WeakReference(value: transport) } }
    var transport: SessionTransport? { reference.withLock { $0?.value } }
}
