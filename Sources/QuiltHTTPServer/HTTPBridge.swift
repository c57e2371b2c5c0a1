import FoundationEssentials
import Hummingbird
import Synchronization
import QuiltContract
import NIOCore
import QuiltJSON

/// Conversions between Hummingbird's requests and responses and a session's, plus the JSON and Server-Sent-Events
/// bodies quilt-mcp writes itself.
enum HTTPBridge {
    /// Hummingbird's ceiling on any collected body (1 GiB, the largest `max_request_bytes` accepted); the routes
    /// collect with the mode's own `max_request_bytes`.
    static let maximumBodyBytes = 1 << 30

    /// A session's view of `request` with `body` and the caller's `credentials` (headers joined per RFC 9110 when
    /// repeated).
    static func sessionRequest(_ request: Request, body: ByteBuffer?, credentials: RequestCredentials?) -> SessionRequest {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            if let existing = headers[name] {
                headers[name] = existing + ", " + field.value
            } else {
                headers[name] = field.value
            }
        }
        let data = body.flatMap { $0.readableBytes > 0 ? Data($0.readableBytesView) : nil }
        return SessionRequest(method: request.method.rawValue, headers: headers, body: data, credentials: credentials)
    }

    /// Hummingbird's response for a session's; `onFinish` runs once the body has been produced (streams: at end).
    static func response(_ response: SessionResponse, onFinish: (@Sendable () -> Void)? = nil) -> Response {
        let status = HTTPTypes.HTTPResponse.Status(code: response.statusCode)
        let headers = fields(response.headers)
        switch response {
        case .stream(let stream, _):
            let done = OnceAction(onFinish ?? {})
            let body = ResponseBody { writer in
                defer { done.run() }
                do {
                    for try await chunk in stream {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                } catch is CancellationError {
                    // The client went away or the session ended.
                }
                done.run()  // before the stream ends, so the client's next request finds the slot free
                try await writer.finish(nil)
            }
            return Response(status: status, headers: headers, body: body)
        case .plain(_, _, let data):
            defer { onFinish?() }
            let body = data.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
            return Response(status: status, headers: headers, body: body)
        }
    }

    /// A JSON response with `value` written compactly.
    static func json(_ value: JSONValue, status: HTTPTypes.HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var all = headers
        all[.contentType] = "application/json"
        return Response(status: status, headers: all, body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.compact(value))))
    }

    /// The 401, 403 (or 503) for a refused token; the challenge names the protected-resource metadata and the
    /// scopes the resource needs when the deployment advertises them.
    static func refusal(_ failure: AuthFailure, resourceMetadata: String? = nil, scopes: [String] = []) -> Response {
        var headers = HTTPFields()
        if failure.status == 401 || failure.status == 403 {
            headers[.wwwAuthenticate] = failure.challenge(resourceMetadata: resourceMetadata, scopes: scopes)
        }
        return json(failure.body, status: .init(code: failure.status), headers: headers)
    }

    /// A JSON-RPC error response; `id` is the request's id as JSON text (`7`, `"abc"`), null when the failure comes
    /// before the request is read.
    static func rpcError(status: Int, code: Int, _ message: String, id: String? = nil, headers: HTTPFields = [:]) -> Response {
        let idValue = id.flatMap { try? JSONParser.parse($0) } ?? .null
        return json(["jsonrpc": "2.0", "id": idValue, "error": ["code": .number(JSONNumber(code)), "message": .string(message)]],
             status: .init(code: status), headers: headers)
    }

    /// One Server-Sent Event carrying a JSON-RPC message.
    static func sseEvent(_ message: JSONValue) -> ByteBuffer { sseEvent(Data(JSONWriter.compact(message).utf8)) }

    /// One Server-Sent Event carrying a JSON-RPC message's bytes.
    static func sseEvent(_ message: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: message\ndata: ")
        buffer.writeBytes(message)
        buffer.writeString("\n\n")
        return buffer
    }

    /// A header dictionary as `HTTPFields` (names that are not valid field names are dropped).
    static func fields(_ headers: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let field = HTTPFields.Element.Name(name) else { continue }
            fields[field] = value
        }
        return fields
    }
}

/// An action that runs at most once, whichever of its callers comes first.
final class OnceAction: Sendable {
    private let action: Mutex<(@Sendable () -> Void)?>

    init(_ action: @escaping @Sendable () -> Void) { self.action = Mutex(action) }

    /// Runs the action unless it has run.
    func run() { action.withLock { a in defer { a = nil }; return a }?() }
}
