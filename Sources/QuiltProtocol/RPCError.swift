package import QuiltJSON

/// A JSON-RPC error object: the code, a message that says what was wrong and how to fix it, and optional data.
///
/// Codes are JSON-RPC's and MCP's; ``httpStatus`` is the status a single-exchange HTTP answer carries for each.
package struct RPCError: Error, Sendable, Equatable {
    /// The JSON-RPC `error.code`.
    package var code: Int
    /// The `error.message`.
    package var message: String
    /// The `error.data`, when there is any.
    package var data: JSONValue?

    /// An error with `code`, `message` and `data`.
    package init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    // MARK: - Codes

    /// -32700: the bytes are not JSON.
    package static let parseErrorCode = -32700
    /// -32600: JSON, but not a JSON-RPC request this server accepts.
    package static let invalidRequestCode = -32600
    /// -32601: no such method (in this era).
    package static let methodNotFoundCode = -32601
    /// -32602: the parameters are wrong.
    package static let invalidParamsCode = -32602
    /// -32603: the server failed.
    package static let internalErrorCode = -32603
    /// -32002: a resource that does not exist (handshake era; the modern era uses -32602).
    package static let resourceNotFoundCode = -32002
    /// -32020: an HTTP routing header disagrees with the body (2026-07-28).
    package static let headerMismatchCode = -32020
    /// -32021: the request needs a client capability it did not declare (2026-07-28).
    package static let missingCapabilityCode = -32021
    /// -32022: the protocol version is not one this server serves (2026-07-28).
    package static let unsupportedVersionCode = -32022

    // MARK: - Constructors

    /// -32700 with `detail`.
    package static func parseError(_ detail: String) -> RPCError { RPCError(code: parseErrorCode, message: "Parse error: \(detail)") }

    /// -32600 with `detail`.
    package static func invalidRequest(_ detail: String) -> RPCError {
        RPCError(code: invalidRequestCode, message: "Invalid request: \(detail)")
    }

    /// -32601 for `method`, saying in which era it does not exist.
    package static func methodNotFound(_ method: String, era: Era?) -> RPCError {
        let suffix = era.map { " in protocol \($0.version)" } ?? ""
        return RPCError(code: methodNotFoundCode, message: "Method not found: \(method)\(suffix)")
    }

    /// -32602 with `detail`.
    package static func invalidParams(_ detail: String) -> RPCError {
        RPCError(code: invalidParamsCode, message: "Invalid params: \(detail)")
    }

    /// -32603 with `detail` (never a secret or a stack: the detail is logged in full, sent short).
    package static func internalError(_ detail: String) -> RPCError {
        RPCError(code: internalErrorCode, message: "Internal error: \(detail)")
    }

    /// -32022 naming the versions served and the one requested.
    package static func unsupportedVersion(requested: JSONValue, supported: [String] = ProtocolVersion.modern) -> RPCError {
        RPCError(
            code: unsupportedVersionCode, message: "Unsupported protocol version",
            data: ["supported": .array(supported.map(JSONValue.string)), "requested": requested])
    }

    /// -32020 for `header`, saying what the body holds instead.
    package static func headerMismatch(_ detail: String) -> RPCError {
        RPCError(code: headerMismatchCode, message: "Header mismatch: \(detail)")
    }

    /// A resource that does not exist, with the code of `era`: -32002 before 2026-07-28, -32602 from it.
    package static func resourceNotFound(_ uri: String, era: Era, available: [String]) -> RPCError {
        let message = "Resource not found: \(uri); available: \(available.joined(separator: ", "))"
        return RPCError(code: era.isModern ? invalidParamsCode : resourceNotFoundCode, message: message, data: ["uri": .string(uri)])
    }

    // MARK: - Wire

    /// The `error` member.
    package var json: JSONValue {
        var object: JSONObject = ["code": .number(JSONNumber(code)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    /// The HTTP status of a single-exchange answer carrying this error: 400 for malformed requests and the
    /// 2026-07-28 routing errors, 404 for an unknown method, 200 otherwise (the error is in the body).
    package var httpStatus: Int {
        switch code {
        case Self.parseErrorCode, Self.invalidRequestCode, Self.invalidParamsCode, Self.headerMismatchCode,
            Self.missingCapabilityCode, Self.unsupportedVersionCode:
            return 400
        case Self.methodNotFoundCode: return 404
        default: return 200
        }
    }
}
