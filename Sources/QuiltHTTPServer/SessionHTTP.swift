import FoundationEssentials
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltProtocol

/// An HTTP request as a session sees it: method, headers (looked up case-insensitively), body, and the caller's
/// credentials from the bearer middleware.
struct SessionRequest: Sendable {
    var method: String
    var headers: [String: String]
    var body: Data?
    var credentials: RequestCredentials?

    init(method: String, headers: [String: String], body: Data? = nil, credentials: RequestCredentials? = nil) {
        self.method = method
        self.headers = headers
        self.body = body
        self.credentials = credentials
    }

    /// The value of header `name`, whatever its case.
    func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.key.lowercased() == lower }?.value
    }
}

/// A session's answer: an event stream, or a status with headers and an optional JSON body.
enum SessionResponse: Sendable {
    case stream(AsyncThrowingStream<Data, any Error>, headers: [String: String])
    case plain(status: Int, headers: [String: String], body: Data?)

    static func ok(headers: [String: String] = [:]) -> SessionResponse { .plain(status: 200, headers: headers, body: nil) }
    static func accepted(headers: [String: String] = [:]) -> SessionResponse { .plain(status: 202, headers: headers, body: nil) }

    /// A JSON-RPC error (id null) with `status`, the session's id when there is one, and `extraHeaders`.
    static func error(statusCode: Int, _ error: RPCError, sessionID: String? = nil, extraHeaders: [String: String] = [:])
        -> SessionResponse
    {
        var headers = extraHeaders
        headers["Content-Type"] = "application/json"
        if let sessionID { headers[SessionHeaders.sessionID] = sessionID }
        return .plain(status: statusCode, headers: headers, body: Data(JSONWriter.compact(Outgoing.error(id: .null, error)).utf8))
    }

    var statusCode: Int {
        switch self {
        case .stream: return 200
        case .plain(let status, _, _): return status
        }
    }

    var headers: [String: String] {
        switch self {
        case .stream(_, let headers), .plain(_, let headers, _): return headers
        }
    }

    var bodyData: Data? {
        if case .plain(_, _, let body) = self { return body }
        return nil
    }
}

/// The header names sessions use.
enum SessionHeaders {
    static let sessionID = "MCP-Session-Id"
    static let protocolVersion = "MCP-Protocol-Version"
    static let lastEventID = "Last-Event-ID"
}

/// The checks every session request passes before a session sees it, as the streamable-HTTP transport of the
/// handshake era requires: loopback `Host`/`Origin` for local deployments (421/403), `Accept` (406), `Content-Type`
/// (415), a served `MCP-Protocol-Version` (400), and the session's own id (404 for another).
enum SessionChecks {
    static func validate(
        _ request: SessionRequest, method: String, sessionID: String?, initialize: Bool, mode: Mode
    ) -> SessionResponse? {
        if mode.locale == .local {
            if let host = request.header("Host"), !HTTPChecks.isLoopback(host, scheme: nil) {
                return .error(statusCode: 421, .invalidRequest("Misdirected Request: Host header not allowed"), sessionID: sessionID)
            }
            if let origin = request.header("Origin"), !HTTPChecks.isLoopback(origin, scheme: "http://") {
                return .error(statusCode: 403, .invalidRequest("Forbidden: Origin not allowed"), sessionID: sessionID)
            }
        }
        let (json, sse) = HTTPChecks.accepts([request.header("Accept") ?? ""])
        switch method {
        case "POST":
            guard json, sse else {
                return .error(statusCode: 406, .invalidRequest(
                    "Not Acceptable: Client must accept both application/json and text/event-stream"), sessionID: sessionID)
            }
            let contentType = request.header("Content-Type")?.split(separator: ";").first.map { HTTPChecks.trim($0).lowercased() }
            guard contentType == "application/json" else {
                return .error(statusCode: 415, .invalidRequest(
                    "Unsupported Media Type: Content-Type must be application/json"), sessionID: sessionID)
            }
        case "GET":
            guard sse else {
                return .error(statusCode: 406, .invalidRequest("Not Acceptable: Client must accept text/event-stream"), sessionID: sessionID)
            }
        default:
            break
        }
        if !initialize, let version = request.header(SessionHeaders.protocolVersion), !ProtocolVersion.isHandshake(version) {
            return .error(statusCode: 400, .invalidRequest(
                "Bad Request: Unsupported protocol version: \(version). Supported: "
                    + ProtocolVersion.handshake.sorted().joined(separator: ", ")), sessionID: sessionID)
        }
        if !initialize, let sessionID, let sent = request.header(SessionHeaders.sessionID), sent != sessionID {
            return .error(statusCode: 404, .invalidRequest("Not Found: Session not found or expired"), sessionID: sessionID)
        }
        return nil
    }
}
