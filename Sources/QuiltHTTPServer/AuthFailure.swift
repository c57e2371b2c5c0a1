import FoundationEssentials
package import QuiltJSON

/// Why a request's bearer token was refused, as RFC 6750 names it: the HTTP status, the `error` code of the
/// `WWW-Authenticate: Bearer` challenge and a description. Never contains the token.
package struct AuthFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The RFC 6750 error codes used here.
    package enum Code: String, Sendable {
        /// No `Authorization: Bearer` header, or a header that is not one.
        case invalidRequest = "invalid_request"
        /// The token is malformed, expired, for another audience, or its signature does not verify.
        case invalidToken = "invalid_token"
        /// The token is valid but lacks a scope `/mcp` needs (403).
        case insufficientScope = "insufficient_scope"
    }

    /// 401; 403 for a missing scope; 503 when the keys to verify with could not be fetched.
    package let status: Int
    /// The challenge's `error`.
    package let code: Code
    /// The challenge's `error_description` (ASCII, no quotes) and the JSON body's message.
    package let message: String

    /// A 401 refusal.
    package init(_ code: Code, _ message: String, status: Int = 401) {
        self.code = code
        self.message = message.replacing("\"", with: "'")
        self.status = status
    }

    /// `WWW-Authenticate` value: `Bearer realm="quilt-mcp", error="invalid_token", error_description="…"`.
    package var challenge: String { challenge(resourceMetadata: nil, scopes: []) }

    /// The challenge with RFC 9728's `resource_metadata` and the `scope` the resource needs (when any).
    package func challenge(resourceMetadata: String?, scopes: [String]) -> String {
        var value = "Bearer realm=\"quilt-mcp\", error=\"\(code.rawValue)\", error_description=\"\(message)\""
        if !scopes.isEmpty { value += ", scope=\"\(scopes.joined(separator: " "))\"" }
        if let resourceMetadata { value += ", resource_metadata=\"\(resourceMetadata)\"" }
        return value
    }

    /// The response body: a JSON-RPC error (`id` null, code -32001) whose data carries quilt-mcp's error shape.
    package var body: JSONValue {
        [
            "jsonrpc": "2.0", "id": .null,
            "error": [
                "code": -32001, "message": .string(message),
                "data": ["kind": .string(kind), "error": .string(code.rawValue),
                         "hint": .string(hint)],
            ],
        ]
    }

    /// The quilt-mcp error kind.
    var kind: String {
        switch status {
        case 401: return "unauthenticated"
        case 403: return "forbidden"
        default: return "remote"
        }
    }

    /// What the caller can do about it.
    package var hint: String {
        switch (status, code) {
        case (401, .invalidRequest): return "Send Authorization: Bearer <token> with every request to /mcp."
        case (401, _): return "Get a fresh token from the catalog (quilt3 login, or your identity provider) and retry."
        case (403, _): return "Ask the authorization server for a token with the scopes in WWW-Authenticate's scope."
        default: return "The server could not fetch its verification keys; retry later or tell the operator."
        }
    }

    /// `invalid_token: the token has expired`.
    package var description: String { "\(code.rawValue): \(message)" }
}
