package import QuiltJSON

/// Where a request's own messages go before its answer: progress and log notifications on stdio's output, or on the
/// request's SSE stream over HTTP.
package typealias NotificationSink = @Sendable (JSONValue) async -> Void

/// Sends a request to the client and returns its result (handshake era, on a connection that can carry
/// server-to-client requests). Throws ``RPCError`` for an error response, `CancellationError` when the request being
/// served was cancelled, and ``RPCError`` when the connection closed first.
package typealias ClientRequester = @Sendable (_ method: String, _ params: JSONObject) async throws -> JSONObject

/// What a method handler knows about the request it answers: the request, the era and version it is served in,
/// what the client declared (on this request in 2026-07-28, at `initialize` before), and where its notifications go.
package struct RequestContext: Sendable {
    /// The request.
    package let request: Request
    /// The era and version the request is served in.
    package let era: Era
    /// The client's declared capabilities.
    package let clientCapabilities: JSONObject
    /// The client's `clientInfo` / `io.modelcontextprotocol/clientInfo`, when it sent one.
    package let clientInfo: JSONValue?
    /// The lowest log level the client asked for: on this request (2026-07-28), or with `logging/setLevel` on the
    /// connection (handshake era); nil when it asked for no messages.
    package let logLevel: String?
    /// Sends the client a request of its own (elicitation); nil when the transport cannot (2026-07-28, stateless
    /// HTTP), where ``InputRequiredResult`` takes its place.
    package let requester: ClientRequester?
    /// Fires when the transport closes; nil where only cancellation ends a request.
    package let closing: Closing?
    private let sink: NotificationSink

    /// A context for `request` in `era`.
    package init(
        request: Request, era: Era, clientCapabilities: JSONObject, clientInfo: JSONValue?, logLevel: String?,
        sink: @escaping NotificationSink, requester: ClientRequester? = nil, closing: Closing? = nil
    ) {
        self.request = request
        self.era = era
        self.clientCapabilities = clientCapabilities
        self.clientInfo = clientInfo
        self.logLevel = logLevel
        self.sink = sink
        self.requester = requester
        self.closing = closing
    }

    /// Sends a notification on this request's stream (stdio's output, or the request's SSE stream).
    package func notify(_ method: String, _ params: JSONObject) async {
        await sink(Outgoing.notification(method, params))
    }

    /// The request's parameters.
    package var params: JSONObject { request.params }

    /// `params._meta.progressToken`, when the client asked for progress.
    package var progressToken: JSONValue? {
        guard let token = request.meta?["progressToken"], token.stringValue != nil || token.numberValue != nil else { return nil }
        return token
    }

    /// Sends `notifications/progress` for this request's token; nothing when it has none.
    package func progress(_ progress: Double, total: Double?, message: String?) async {
        guard let token = progressToken else { return }
        var params: JSONObject = ["progressToken": token, "progress": .number(JSONNumber(progress))]
        if let total { params["total"] = .number(JSONNumber(total)) }
        if let message { params["message"] = .string(message) }
        await sink(Outgoing.notification("notifications/progress", params))
    }
}
