/// The name of one configuration setting; the raw value is the name used in explanations, JSON and docs.
package enum SettingName: String, CaseIterable, Sendable, Hashable {
    /// The preset (`local` or `remote`).
    case mode
    /// ``Mode/API``.
    case api
    /// ``Mode/Auth``.
    case auth
    /// ``Mode/State``.
    case state
    /// ``Mode/Locale``.
    case locale
    /// ``Mode/Transport``.
    case transport
    /// The default package registry.
    case registry
    /// The catalog web URL.
    case catalogURL = "catalog_url"
    /// The catalog API base URL.
    case registryAPIURL = "registry_api_url"
    /// The HTTP bind address.
    case host
    /// The HTTP bind port.
    case port
    /// ``Mode/Tenancy``.
    case tenancy
    /// ``Mode/LogLevel``.
    case logLevel = "log_level"
    /// Whether writing tools refuse.
    case readOnly = "read_only"
    /// The toolsets `tools/list` offers and `tools/call` runs, comma-separated, or `all`.
    case toolsets
    /// The configured bearer token (its source; the value is never shown).
    case jwtToken = "jwt_token"
    /// The HS256 secret that verifies bearer tokens locally (its source; the value is never shown).
    case jwtSecret = "jwt_secret"
    /// The JWKS URL whose RS256/ES256 keys verify bearer tokens locally.
    case jwtJWKSURL = "jwt_jwks_url"
    /// The `iss` claim verified tokens must carry.
    case jwtIssuer = "jwt_issuer"
    /// The `aud` value verified tokens must name.
    case jwtAudience = "jwt_audience"
    /// The key that signs the `requestState` of a consent question, so any replica verifies the answer (its source;
    /// the value is never shown).
    case requestStateKey = "request_state_key"
    /// The largest HTTP request body accepted, in bytes.
    case maxRequestBytes = "max_request_bytes"
    /// The largest object (pointer, config, response body) read whole into memory, in bytes.
    case maxObjectBytes = "max_object_bytes"
    /// The most `/mcp` requests one process serves at once.
    case maxRequests = "max_requests"
    /// The most `/mcp` requests one caller (token or tenant) has in flight at once.
    case maxCallerRequests = "max_caller_requests"
    /// The bytes one tenant's `memory://` registries may hold together.
    case tenantMemoryBytes = "tenant_memory_bytes"
    /// The most tenants whose `memory://` registries are kept.
    case maxTenants = "max_tenants"
    /// Seconds an HTTP connection may send nothing, between requests or in the middle of one, before it is closed.
    case idleTimeout = "idle_timeout"

    /// The port of the separate Prometheus `/metrics` listener; unset: no metrics endpoint.
    case metricsPort = "metrics_port"

    /// The canonical URL of `/mcp` that tokens are issued for (RFC 9728's `resource`).
    case resourceURL = "resource_url"
    /// The OAuth authorization servers that issue tokens for this server (RFC 9728), comma-separated.
    case oauthAuthorizationServers = "oauth_authorization_servers"
    /// The scopes a token needs for `/mcp`, comma-separated.
    case oauthScopes = "oauth_scopes"

    /// The Athena workgroup for statements that name none.
    case athenaWorkgroup = "athena_workgroup"
    /// Where Athena writes results when the workgroup configures no location.
    case athenaOutputLocation = "athena_output_location"
    /// Whether Athena statements other than reads may run.
    case athenaAllowWrites = "athena_allow_writes"

    /// The settings that bound resources (``Mode/Limits``).
    package static let limits: [SettingName] = [
        .maxRequestBytes, .maxObjectBytes, .maxRequests, .maxCallerRequests, .tenantMemoryBytes, .maxTenants, .idleTimeout,
    ]
}
