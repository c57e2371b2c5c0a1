import FoundationEssentials
package import QuiltJSON

/// What a 2026-07-28 request declares about itself in `params._meta`.
package struct Envelope: Sendable, Equatable {
    /// The protocol version (one this server serves).
    package var version: String
    /// The client's capabilities for this request.
    package var clientCapabilities: JSONObject
    /// The client's identity, when sent.
    package var clientInfo: JSONValue?
    /// The requested log level, when sent.
    package var logLevel: String?
}

/// The routing headers of a 2026-07-28 HTTP request, which must agree with its body.
package struct RoutingHeaders: Sendable, Equatable {
    /// `MCP-Protocol-Version`.
    package var version: String?
    /// `Mcp-Method`.
    package var method: String?
    /// `Mcp-Name`, as sent (``Request/envelope(headers:)`` decodes the `=?base64?…?=` form).
    package var name: String?
    /// The first routing header the request carried more than once (readers of the first and the last copy would
    /// disagree), lower-cased.
    package var duplicated: String?

    /// Headers with these values.
    package init(version: String?, method: String?, name: String?, duplicated: String? = nil) {
        self.version = version
        self.method = method
        self.name = name
        self.duplicated = duplicated
    }

    /// The params member `Mcp-Name` mirrors, for the methods that have one.
    package static func nameParameter(of method: String) -> String? {
        switch method {
        case "tools/call", "prompts/get": return "name"
        case "resources/read": return "uri"
        default: return nil
        }
    }

    /// A header value as the client meant it: `=?base64?…?=` decoded (canonical base64 of UTF-8 only), anything
    /// else as is; nil for a malformed encoded value, so it never matches a body value by accident.
    package static func decode(_ value: String?) -> String? {
        guard let value, value.hasPrefix("=?base64?"), value.hasSuffix("?="), value.count >= 11 else { return value }
        let payload = String(value.dropFirst(9).dropLast(2))
        guard let data = Data(base64Encoded: payload), data.base64EncodedString() == payload,
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        return text
    }
}

extension Request {
    /// The envelope checks of 2026-07-28, in the revision's order: `_meta` with the version and the client's
    /// capabilities (else -32602 naming what is missing); over HTTP, the routing `headers` agreeing with the body
    /// (else -32020 naming the header); then a served version (-32602 for a non-string, -32022 with the served list
    /// otherwise). Presence is what counts for the capabilities, as in the Python SDK; a value that is not an object
    /// reads as none declared.
    package func envelope(headers: RoutingHeaders? = nil) -> Result<Envelope, RPCError> {
        guard let meta else {
            return .failure(.invalidParams(
                "params._meta must be an object carrying \(MetaKey.protocolVersion) and \(MetaKey.clientCapabilities)"))
        }
        let missing = [MetaKey.protocolVersion, MetaKey.clientCapabilities].filter { meta.position(ofKey: $0) == nil }
        guard missing.isEmpty else {
            return .failure(.invalidParams("params._meta is missing the required key(s): \(missing.joined(separator: ", "))"))
        }
        let requested = meta[MetaKey.protocolVersion] ?? .null
        if let headers, let mismatch = mismatch(headers, requested: requested) { return .failure(.headerMismatch(mismatch)) }
        guard let version = requested.stringValue else {
            return .failure(.invalidParams("\(MetaKey.protocolVersion) must be a string, e.g. \"2026-07-28\""))
        }
        guard ProtocolVersion.isModern(version) else { return .failure(.unsupportedVersion(requested: requested)) }
        return .success(Envelope(
            version: version, clientCapabilities: meta[MetaKey.clientCapabilities]?.objectValue ?? [:],
            clientInfo: meta[MetaKey.clientInfo], logLevel: meta[MetaKey.logLevel]?.stringValue))
    }
}

extension Request {
    /// What disagrees between `headers` and the body, in the Python SDK's order; nil when they agree.
    func mismatch(_ headers: RoutingHeaders, requested: JSONValue) -> String? {
        if let duplicated = headers.duplicated { return "\(duplicated) was sent more than once" }
        guard let version = headers.version, .string(version) == requested else {
            return "MCP-Protocol-Version must equal params._meta's \(MetaKey.protocolVersion)"
        }
        guard headers.method == method else { return "Mcp-Method must equal the body's method (\(method))" }
        if let key = RoutingHeaders.nameParameter(of: method), let value = params[key]?.stringValue,
            RoutingHeaders.decode(headers.name) != value
        {
            return "Mcp-Name must equal the body's params.\(key)"
        }
        return nil
    }
}
