import FoundationEssentials
import Hummingbird
import QuiltJSON
import QuiltMode

/// RFC 9728 protected-resource metadata for an HTTP deployment with auth=jwt: where MCP clients get tokens for
/// `/mcp` and which scopes they need, at `/.well-known/oauth-protected-resource` and its path-suffixed form
/// `/.well-known/oauth-protected-resource/mcp`, and the `resource_metadata` URL every 401 and 403 names.
enum ProtectedResourceEndpoint {
    /// The well-known path prefix.
    static let wellKnown = "/.well-known/oauth-protected-resource"

    /// The resource identifier: the configured `resource_url`, else `/mcp` under the request's own scheme and host
    /// (`X-Forwarded-Proto` names the scheme behind a TLS-terminating proxy).
    static func resource(_ request: Request, mode: Mode) -> String {
        if let configured = mode.protectedResource.resource { return configured }
        let forwarded = request.headers.first { $0.name.canonicalName == "x-forwarded-proto" }?.value.lowercased()
        let scheme = forwarded == "https" ? "https" : "http"
        let host = request.head.authority ?? "\(mode.host):\(mode.port)"
        return "\(scheme)://\(host)/mcp"
    }

    /// The metadata URL for `resource` (RFC 9728 §3.1: the well-known path goes between the host and the path).
    static func metadataURL(for resource: String) -> String {
        guard let schemeEnd = resource.firstRange(of: "://") else { return resource + wellKnown }
        let afterScheme = resource[schemeEnd.upperBound...]
        let pathStart = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let origin = resource[..<pathStart]
        var path = String(resource[pathStart...])
        if path == "/" { path = "" }
        return origin + wellKnown + path
    }

    /// The metadata document.
    static func document(_ request: Request, mode: Mode) -> JSONValue {
        let configured = mode.protectedResource
        var body: JSONObject = ["resource": .string(resource(request, mode: mode))]
        if !configured.authorizationServers.isEmpty {
            body["authorization_servers"] = .array(configured.authorizationServers.map(JSONValue.string))
        }
        if !configured.scopes.isEmpty { body["scopes_supported"] = .array(configured.scopes.map(JSONValue.string)) }
        body["bearer_methods_supported"] = ["header"]
        body["resource_name"] = "quilt-mcp"
        return .object(body)
    }

    /// Adds the metadata routes (auth=jwt only: other deployments take no tokens).
    static func register(on router: Router<MCPRequestContext>, mode: Mode) {
        guard mode.auth == .jwt else { return }
        let answer: @Sendable (Request, MCPRequestContext) async throws -> Response = { request, _ in
            var headers = HTTPFields()
            headers[.cacheControl] = "public, max-age=300"
            return HTTPBridge.json(document(request, mode: mode), headers: headers)
        }
        router.get(".well-known/oauth-protected-resource", use: answer)
        router.get(".well-known/oauth-protected-resource/mcp", use: answer)
    }
}
