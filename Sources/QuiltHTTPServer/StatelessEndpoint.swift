import Hummingbird
import Logging
import NIOCore
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltProtocol
import QuiltServer

/// `/mcp` without sessions: every POST is one exchange, parsed once and answered by ``QuiltProtocol/MCPServerCore``
/// with the caller's backend; nothing outlives the request, so any replica can answer any request and two callers
/// never share state.
///
/// - **Eras.** An `MCP-Protocol-Version` header naming a handshake version, or none, is the handshake era
///   (`initialize` answered and forgotten; a request carrying the 2026 `_meta` envelope is -32600 and told to send
///   the header). Any other header value is 2026-07-28: the envelope and the routing headers are checked
///   (``QuiltProtocol/Request/envelope(headers:)``: -32602, -32020, -32022 with their 400s), and results carry
///   `resultType` and their caching hints.
/// - **JSON or events.** The answer is JSON unless the request sends something before its answer (progress, when
///   it asked for progress) to a client that accepts `text/event-stream`; then it is Server-Sent Events: each
///   notification as it happens, then the answer. In the handshake era a `tools/call` with a progress token is
///   answered as events from the start, as it always was here. A client that goes away while a call runs cancels it.
/// - **Handshake-era cancellation.** `notifications/cancelled` from the same caller reaches a request still running
///   on this replica (``StatelessCancellation``): the call stops, an event stream ends without a result, and a JSON
///   answer is a -32800 error with the request's id. 2026-07-28 has no such notification over HTTP: a client cancels
///   by disconnecting.
struct StatelessEndpoint: Sendable {
    let mode: Mode
    let backends: CallerBackends
    let logger: Logger
    let cancellation = StatelessCancellation()

    /// Answers one request; `onFinish` runs once its answer is complete (for an event stream: when it ends).
    func handle(
        _ request: Hummingbird.Request, context: MCPRequestContext, onFinish: @escaping @Sendable () -> Void = {}
    ) async throws -> Response {
        var streaming = false
        defer { if !streaming { onFinish() } }
        guard request.method == .post else {
            // Empty, as the Python SDK's reference server answers: `Allow` says what to do.
            return Response(status: .methodNotAllowed, headers: HTTPBridge.fields(["Allow": "POST"]))
        }
        if let refused = HTTPChecks.origin(request, mode: mode) { return refused }
        let headers = HTTPChecks.Headers(request)
        if let refused = HTTPChecks.content(headers) { return refused }

        let caller = context.credentials?.cacheKey
        // Until this request's id is known, a cancellation from the same caller may be meant for it.
        cancellation.arriving(caller: caller)
        var identified = false
        defer { if !identified { cancellation.identified(caller: caller) } }
        let body = try await request.body.collect(upTo: mode.limits.requestBytes)
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(body.readableBytesView)
        } catch {
            return Self.error(.parseError("the body is not JSON (\(error))"))
        }
        let modern = headers.routing.version.map { !ProtocolVersion.isHandshake($0) } ?? false
        if case .array = parsed {
            return Self.error(.invalidRequest("JSON-RPC batches are not accepted here; POST one message per request"))
        }
        let message: QuiltProtocol.Request
        switch Incoming.classify(parsed) {
        case .invalid(let id, let error):
            return Self.error(error, id: id)
        case .response:
            return modern ? Self.error(.invalidRequest("this server sends no requests, so it takes no responses")) : Response(status: .accepted)
        case .notification(let notification):
            if !modern, notification.method == "notifications/cancelled", let id = notification.params["requestId"] {
                identified = true
                cancellation.identified(caller: caller)
                let key = StatelessCancellation.key(caller: caller, request: JSONWriter.compact(id))
                logger.debug("notifications/cancelled", metadata: ["request": "\(JSONWriter.compact(id))"])
                cancellation.cancel(key, caller: caller)
            }
            return Response(status: .accepted)
        case .request(let request):
            message = request
        }

        let era: Era
        var capabilities: JSONObject = [:]
        var clientInfo: JSONValue?
        var logLevel: String?
        if modern {
            switch message.envelope(headers: headers.routing) {
            case .failure(let error): return Self.error(error, id: message.id)
            case .success(let envelope):
                // Over HTTP the handshake is simply not a 2026-07-28 method (the Python SDK's reference server
                // answers 404 / -32601 too); stdio refuses it with -32022, as that SDK's stdio loop does.
                if message.method == "initialize" {
                    return Self.error(.methodNotFound("initialize", era: .modern(envelope.version)), id: message.id)
                }
                // A listen stream is events or nothing: its acknowledgement comes before any answer.
                if message.method == "subscriptions/listen", !headers.acceptsEventStream {
                    return HTTPBridge.rpcError(
                        status: 406, code: RPCError.invalidRequestCode,
                        "Not Acceptable: subscriptions/listen answers with text/event-stream; add it to Accept")
                }
                era = .modern(envelope.version)
                (capabilities, clientInfo, logLevel) = (envelope.clientCapabilities, envelope.clientInfo, envelope.logLevel)
            }
        } else {
            if message.hasModernEnvelope {
                return Self.error(
                    .invalidRequest("a 2026-07-28 request needs the MCP-Protocol-Version: 2026-07-28 header (and Mcp-Method)"),
                    id: message.id)
            }
            era = .handshake(headers.routing.version ?? ProtocolVersion.assumedWithoutHeader)
        }

        let backend = await backends.backend(for: context.credentials)
        var serverContext = ServerContext(mode: mode, backend: backend, credentials: context.credentials, logger: logger)
        switch HTTPChecks.toolsets(request, mode: mode) {
        case .failure(let error): return Self.error(error, id: message.id)
        case .success(let narrowed?): serverContext.toolsets = narrowed
        case .success(nil): break
        }
        var running: String?
        if !modern {
            let key = StatelessCancellation.key(caller: caller, request: message.key)
            running = key
            serverContext.cancellation = cancellation.begin(key)
        }
        identified = true
        cancellation.identified(caller: caller)
        let core = QuiltMCPServer.core(context: serverContext)
        if !modern, message.method == "initialize" {
            if let running { _ = cancellation.end(running) }
            return Self.json(Outgoing.result(id: message.id, core.initialize(message.params).result), status: 200)
        }
        let exchange = Exchange.start(
            core: core, request: message, era: era, capabilities: capabilities, clientInfo: clientInfo, logLevel: logLevel)
        let finished: @Sendable () -> Bool = { [cancellation, running] in running.map { cancellation.end($0) } ?? false }
        if !modern, headers.acceptsEventStream, message.method == "tools/call",
            message.meta?.position(ofKey: "progressToken") != nil
        {
            // As before 2026-07-28: a call that asked for progress is answered as events from the start.
            streaming = true
            return stream(first: nil, exchange: exchange, finished: finished, onFinish: onFinish)
        }
        // A route whose client goes away is cancelled; so is the call it is waiting for.
        let first = await withTaskCancellationHandler { await exchange.next() } onCancel: { exchange.cancel() }
        switch first {
        case nil, .answer?:
            let answer: JSONValue? = if case .answer(let a)? = first { a } else { nil }
            return answerResponse(answer, request: message, era: era, stopped: finished())
        case .notification(let note)?:
            guard headers.acceptsEventStream else {
                let answer = await withTaskCancellationHandler { await exchange.answer() } onCancel: { exchange.cancel() }
                return answerResponse(answer, request: message, era: era, stopped: finished())
            }
            streaming = true
            return stream(first: note, exchange: exchange, finished: finished, onFinish: onFinish)
        }
    }

    // MARK: - Answers

    /// The JSON answer; a call that gave up on a handshake-era cancellation is -32800 with its id (HTTP needs an
    /// answer, and clients ignore answers to requests they cancelled). A 2026-07-28 error carries the revision's
    /// status; a handshake-era one is 200 (there a 404 would tell the client its session is gone).
    private func answerResponse(_ answer: JSONValue?, request: QuiltProtocol.Request, era: Era, stopped: Bool) -> Response {
        guard let answer, !stopped else {
            return Self.json(Outgoing.error(id: request.id, RPCError(code: -32800, message: "Request cancelled")), status: 200)
        }
        var status = 200
        if era.isModern, let code = answer["error"]?["code"]?.intValue { status = RPCError(code: code, message: "").httpStatus }
        return Self.json(answer, status: status)
    }

    /// Server-Sent Events: `first`, every later notification as it is sent, then the answer (none when the call was
    /// cancelled). A client that disconnects cancels the call.
    private func stream(
        first: JSONValue?, exchange: Exchange, finished: @escaping @Sendable () -> Bool, onFinish: @escaping @Sendable () -> Void
    ) -> Response {
        let done = OnceAction(onFinish)
        let body = ResponseBody { writer in
            defer { done.run() }
            do {
                if let first { try await writer.write(HTTPBridge.sseEvent(first)) }
                while let next = await exchange.next() {
                    switch next {
                    case .notification(let note):
                        try await writer.write(HTTPBridge.sseEvent(note))
                    case .answer(let answer):
                        if !finished(), let answer { try await writer.write(HTTPBridge.sseEvent(answer)) }
                    }
                }
                done.run()  // before the stream ends, so the client's next request finds the slot free
                try await writer.finish(nil)
            } catch {
                exchange.cancel()  // the client went away: the call stops
                _ = finished()
                throw error
            }
        }
        // X-Accel-Buffering: nginx in front passes each event on at once.
        let headers = HTTPBridge.fields([
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no",
        ])
        return Response(status: .ok, headers: headers, body: body)
    }

    static func json(_ value: JSONValue, status: Int) -> Response {
        HTTPBridge.json(value, status: .init(code: status))
    }

    static func error(_ error: RPCError, id: JSONValue = .null) -> Response {
        json(Outgoing.error(id: id, error), status: error.httpStatus)
    }
}
