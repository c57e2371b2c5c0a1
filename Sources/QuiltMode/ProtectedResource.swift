/// The OAuth protected-resource side of an HTTP deployment with auth=jwt (RFC 9728): where clients get tokens and
/// what the tokens must allow. Resolved from `resource_url`, `oauth_authorization_servers` and `oauth_scopes`.
package struct ProtectedResource: Sendable, Equatable {
    /// The canonical URL of `/mcp`; nil: the one the request's `Host` names.
    package let resource: String?
    /// The authorization servers (issuer URLs) that issue tokens for this server.
    package let authorizationServers: [String]
    /// Scopes every token needs for `/mcp`; empty: none is checked.
    package let scopes: [String]

    /// A protected resource with these values.
    package init(resource: String?, authorizationServers: [String], scopes: [String]) {
        self.resource = resource
        self.authorizationServers = authorizationServers
        self.scopes = scopes
    }

    /// Nothing configured.
    package static let none = ProtectedResource(resource: nil, authorizationServers: [], scopes: [])
}
