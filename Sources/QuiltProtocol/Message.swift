package import QuiltJSON

/// The reserved `_meta` keys of the 2026-07-28 revision.
package enum MetaKey {
    /// The request's protocol version (required on every modern request).
    package static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
    /// The client's capabilities (required on every modern request).
    package static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
    /// The client's name and version (should be sent).
    package static let clientInfo = "io.modelcontextprotocol/clientInfo"
    /// The lowest log level the client wants on this request's stream.
    package static let logLevel = "io.modelcontextprotocol/logLevel"
    /// The server's identity, in `server/discover`'s `_meta`.
    package static let serverInfo = "io.modelcontextprotocol/serverInfo"
    /// The listen request a subscription frame belongs to.
    package static let subscriptionID = "io.modelcontextprotocol/subscriptionId"
}

/// A request: it has an id and is answered exactly once (unless cancelled).
package struct Request: Sendable {
    /// The JSON-RPC id: a string or an integer, as the client wrote it.
    package var id: JSONValue
    /// The method.
    package var method: String
    /// The parameters; empty when the request had none.
    package var params: JSONObject

    /// A request with `id`, `method` and `params`.
    package init(id: JSONValue, method: String, params: JSONObject) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// The id as a dictionary key (its compact JSON, so `1` and `"1"` differ).
    package var key: String { JSONWriter.compact(id) }

    /// `params._meta`, when it is an object.
    package var meta: JSONObject? { params["_meta"]?.objectValue }

    /// Whether `_meta` carries the modern protocol-version key: the sign of a 2026-07-28 request (a bare `_meta`
    /// is not, since handshake-era requests put `progressToken` there).
    package var hasModernEnvelope: Bool { meta?.position(ofKey: MetaKey.protocolVersion) != nil }
}

/// A notification: no id, never answered.
package struct Notification: Sendable {
    /// The method.
    package var method: String
    /// The parameters; empty when it had none.
    package var params: JSONObject
}

/// One JSON-RPC message as read, classified once.
package enum Incoming: Sendable {
    /// A request to answer.
    case request(Request)
    /// A notification to act on (or ignore).
    case notification(Notification)
    /// A response to a request the server sent: its id and the whole message (`result` or `error`).
    case response(id: JSONValue, message: JSONObject)
    /// Not a message this server accepts: answer `error` under `id` (null when the id could not be read).
    case invalid(id: JSONValue, error: RPCError)

    /// Classifies one parsed message (an element of a batch, or a whole line).
    package static func classify(_ value: JSONValue) -> Incoming {
        guard case .object(let message) = value else {
            return .invalid(id: .null, error: .invalidRequest("a JSON-RPC message is an object"))
        }
        // Spelled out: `JSONValue` is ExpressibleByNilLiteral, so a bare `nil` here would mean JSON null.
        var usableID: JSONValue? = Optional.none
        if let id = message["id"], isValidID(id) { usableID = id }
        guard message["jsonrpc"] == "2.0" else {
            return .invalid(id: usableID ?? .null, error: .invalidRequest("\"jsonrpc\" must be \"2.0\""))
        }
        if let methodValue = message["method"] {
            guard let method = methodValue.stringValue else {
                return .invalid(id: usableID ?? .null, error: .invalidRequest("\"method\" must be a string"))
            }
            var params = JSONObject()
            switch message["params"] {
            case nil, .null?: break
            case .object(let object)?: params = object
            case .some:
                guard message.position(ofKey: "id") != nil else { return .notification(Notification(method: method, params: [:])) }
                guard let usableID else {
                    return .invalid(id: .null, error: .invalidRequest("\"id\" must be a string or an integer of at most 64 bits"))
                }
                return .invalid(id: usableID, error: .invalidParams("\"params\" must be an object"))
            }
            guard message.position(ofKey: "id") != nil else { return .notification(Notification(method: method, params: params)) }
            guard let usableID else {
                return .invalid(id: .null, error: .invalidRequest("\"id\" must be a string or an integer of at most 64 bits"))
            }
            return .request(Request(id: usableID, method: method, params: params))
        }
        if let usableID, message.position(ofKey: "result") != nil || message.position(ofKey: "error") != nil {
            return .response(id: usableID, message: message)
        }
        return .invalid(id: usableID ?? .null, error: .invalidRequest("a message needs \"method\", or \"result\" or \"error\""))
    }

    /// What a response to the server's own request says: its `result` object, or its `error` as ``RPCError``.
    package static func outcome(ofResponse message: JSONObject) -> Result<JSONObject, RPCError> {
        guard let error = message["error"]?.objectValue else { return .success(message["result"]?.objectValue ?? [:]) }
        let code = error["code"]?.intValue ?? RPCError.internalErrorCode
        return .failure(RPCError(code: code, message: error["message"]?.stringValue ?? "", data: error["data"]))
    }

    /// Whether `id` may identify a request: a string, or an integer that fits 64 bits (MCP forbids null; a
    /// 10,000-digit integer is a hostile id, not a request).
    static func isValidID(_ id: JSONValue) -> Bool {
        switch id {
        case .string: return true
        case .number(let n): return n.isInteger && id.intValue != nil
        default: return false
        }
    }
}

/// The messages this server writes.
package enum Outgoing {
    /// A success response.
    package static func result(id: JSONValue, _ result: JSONObject) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": .object(result)]
    }

    /// An error response.
    package static func error(id: JSONValue, _ error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": error.json]
    }

    /// A notification.
    package static func notification(_ method: String, _ params: JSONObject) -> JSONValue {
        ["jsonrpc": "2.0", "method": .string(method), "params": .object(params)]
    }
}
