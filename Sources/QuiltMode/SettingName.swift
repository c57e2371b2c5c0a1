/// The name of one configuration setting; the raw value is the name used in explanations, JSON and docs.
public enum SettingName: String, CaseIterable, Sendable, Hashable {
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
}
