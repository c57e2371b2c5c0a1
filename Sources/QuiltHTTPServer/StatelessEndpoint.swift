import Foundation
import Hummingbird
import Logging
import MCP
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltServer

/// `/mcp` without sessions: every POST is answered by a fresh MCP server on the SDK's stateless transport, with
/// the caller's backend, and nothing outlives the request — so any replica can answer any request, two callers
/// never share a server, and JSON-RPC ids of different clients cannot collide.
///
/// A `tools/call` that carries a progress token, from a client that accepts `text/event-stream`, is answered as
/// Server-Sent Events: the progress notifications, then the result. Everything else is one JSON response.
///
/// `notifications/cancelled` from the same caller reaches a request still running on this replica
/// (``StatelessCancellation``): the call stops, an event stream ends without a result, and a JSON answer is a
/// JSON-RPC error with the request's id (HTTP needs an answer; clients ignore answers to requests they cancelled).
/// A call the cancellation reaches only after it completed is answered with its result.
struct StatelessEndpoint: Sendable {
    let mode: Mode
    let backends: CallerBackends
    let logger: Logger
    let cancellation = StatelessCancellation()

    /// Answers one request; `onFinish` runs once its answer is complete (for an event stream: when it ends).
    func handle(
        _ request: Request, context: MCPRequestContext, onFinish: @escaping @Sendable () -> Void = {}
    ) async throws -> Response {
        var streaming = false
        defer { if !streaming { onFinish() } }
        guard request.method == .post else {
            return HTTPBridge.rpcError(
                status: 405, code: -32000, "Method Not Allowed: this server is stateless; POST JSON-RPC to /mcp",
                headers: HTTPBridge.fields(["Allow": "POST"]))
        }
        let caller = context.credentials?.cacheKey
        // Until this request's id is known, a cancellation from the same caller may be meant for it.
        cancellation.arriving(caller: caller)
        var identified = false
        defer { if !identified { cancellation.identified(caller: caller) } }
        let body = try await request.body.collect(upTo: mode.limits.requestBytes)
        let mcpRequest = HTTPBridge.mcpRequest(request, body: body)
        let pipeline = ValidationPipelines.stateless(mode)
        let intent = PostIntent(body: mcpRequest.body)
        if case .cancel(let id) = intent {
            identified = true
            cancellation.identified(caller: caller)
            let check = HTTPValidationContext(
                httpMethod: "POST", sessionID: nil, isInitializationRequest: false, supportedProtocolVersions: Version.supported)
            if let refused = pipeline.validate(mcpRequest, context: check) { return HTTPBridge.response(refused) }
            logger.debug("notifications/cancelled", metadata: ["request": "\(id)"])
            cancellation.cancel(StatelessCancellation.key(caller: caller, request: id), caller: caller)
            return Response(status: .accepted)
        }

        let store = ExactJSONStore()
        let backend = await backends.backend(for: context.credentials)
        var serverContext = ServerContext(mode: mode, backend: backend, exact: store, logger: logger)
        var running: (key: String, id: String, call: CallCancellation)?
        if case .request(let id) = intent {
            let key = StatelessCancellation.key(caller: caller, request: id)
            running = (key, id, cancellation.begin(key))
            serverContext.cancellation = running?.call
        }
        identified = true
        cancellation.identified(caller: caller)
        let server = await QuiltMCPServer.make(context: serverContext)
        let sdk = StatelessHTTPServerTransport(validationPipeline: pipeline, logger: logger)
        let tap = NotificationTap(wrapping: sdk, logger: logger)
        do {
            try await server.start(transport: ExactJSONTransport(wrapping: tap, store: store, logger: logger))
        } catch {
            if let running { _ = cancellation.end(running.key) }
            throw error
        }
        if let running { cancellation.attach(server: server, call: running.call) }

        if Self.wantsProgressStream(mcpRequest) {
            let check = HTTPValidationContext(
                httpMethod: "POST", sessionID: nil, isInitializationRequest: false,
                supportedProtocolVersions: Version.supported)
            if let refused = pipeline.validate(mcpRequest, context: check) {
                await server.stop()
                if let running { _ = cancellation.end(running.key) }
                return HTTPBridge.response(refused)
            }
            streaming = true
            return await stream(mcpRequest, sdk: sdk, tap: tap, server: server, running: running?.key, onFinish: onFinish)
        }
        let response = await sdk.handleRequest(mcpRequest)
        await server.stop()
        if let running, cancellation.end(running.key) {
            return HTTPBridge.rpcError(status: 200, code: -32800, "Request cancelled", id: running.id)
        }
        return HTTPBridge.response(response)
    }

    /// Server-Sent Events: each notification as it is sent, then the response; the server stops at the end.
    private func stream(
        _ request: MCP.HTTPRequest, sdk: StatelessHTTPServerTransport, tap: NotificationTap, server: MCP.Server,
        running: String?, onFinish: @escaping @Sendable () -> Void
    ) async -> Response {
        let (events, continuation) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .unbounded)
        await tap.setSink { continuation.yield(HTTPBridge.sseEvent($0)) }
        Task { [cancellation] in
            let response = await sdk.handleRequest(request)
            let cancelled = running.map { cancellation.end($0) } ?? false
            if !cancelled, let data = response.bodyData { continuation.yield(HTTPBridge.sseEvent(data)) }
            continuation.finish()
            await server.stop()
            onFinish()
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache, no-transform"
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: events))
    }

    /// A `tools/call` with `params._meta.progressToken` from a client that accepts `text/event-stream`.
    static func wantsProgressStream(_ request: MCP.HTTPRequest) -> Bool {
        guard let accept = request.header("Accept"), accept.contains("text/event-stream"), let body = request.body,
            case .object(let message)? = try? JSONParser.parse(body),
            message["method"]?.stringValue == "tools/call", message["id"] != nil
        else { return false }
        return message["params"]?["_meta"]?["progressToken"] != nil
    }
}
