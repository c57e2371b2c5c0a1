/// A configuration rule; the raw value is the stable rule id printed in messages and checked by tests.
package enum ModeRule: String, CaseIterable, Sendable, Hashable {
    /// R1: state=stateless with auth=session.
    case statelessSession = "R1"
    /// R2: api=platform without catalog_url or registry_api_url.
    case platformWithoutCatalog = "R2"
    /// R3: api=platform with auth=iam.
    case platformWithIAM = "R3"
    /// R4: auth=jwt over stdio without a token source.
    case stdioJWTWithoutToken = "R4"
    /// R5: tenancy=multi without auth=jwt.
    case multiTenantWithoutJWT = "R5"
    /// R6: tenancy=multi over stdio.
    case multiTenantOverStdio = "R6"
    /// R7: locale=remote over stdio.
    case remoteOverStdio = "R7"
    /// R8: state=stateless with a file:// registry.
    case statelessFileRegistry = "R8"
    /// R9: api=registry with no registry.
    case registryAPIWithoutRegistry = "R9"
    /// R10: api=registry, auth=jwt and an s3:// registry, without catalog_url or registry_api_url.
    case jwtS3WithoutCatalog = "R10"
    /// R11: a token source given but neither auth=jwt nor api=platform uses it. A warning, never a violation.
    case ignoredToken = "R11"
    /// R12: local token verification configured (secret or JWKS URL) while auth is not jwt. A warning only: the
    /// settings are ignored and the secret file is not read.
    case ignoredVerification = "R12"
    /// R13: both an HS256 secret and a JWKS URL are configured.
    case conflictingVerificationKeys = "R13"
    /// R14: `jwt_issuer` or `jwt_audience` set without a verification key (the claims could not be trusted).
    case claimChecksWithoutKey = "R14"
    /// R15: locale=remote with state=persistent (a remote server's callers must never reach its filesystem).
    case remotePersistent = "R15"
    /// R16: api=registry and auth=jwt over HTTP with a memory:// or file:// registry, without a verification key.
    case unverifiedLocalRegistry = "R16"
    /// R17: api=registry with a file:// registry in a persistent deployment whose callers may not reach the server's
    /// files (remote locale, multi-tenant, or auth=jwt over HTTP).
    case fileRegistryOutOfReach = "R17"
    /// R18: a JWKS URL without `jwt_audience` (tokens the same issuer minted for any other service would verify).
    case jwksWithoutAudience = "R18"
    /// R19: `metrics_port` equal to `port` (the metrics listener is kept apart from `/mcp`).
    case metricsOnServerPort = "R19"
    /// R20: protected-resource settings (`resource_url`, `oauth_authorization_servers`, `oauth_scopes`) without
    /// auth=jwt over HTTP, where no token is ever asked for.
    case protectedResourceWithoutJWT = "R20"
    /// R21: `oauth_scopes` without a verification key (the scopes of an unverified token could be forged).
    case scopesWithoutKey = "R21"
    /// A malformed value: unknown choice, bad URL, bad port, bad boolean.
    case invalidValue = "invalid-value"
    /// A known flag given without its value.
    case missingValue = "missing-value"
    /// The token file could not be read, or holds no token.
    case unreadableTokenFile = "token-file"
    /// Both QUILT_MCP_JWT_TOKEN and QUILT_MCP_JWT_TOKEN_FILE are set.
    case conflictingTokenSources = "token-conflict"
    /// The HS256 secret file could not be read, or holds nothing.
    case unreadableSecretFile = "secret-file"
    /// Both QUILT_MCP_JWT_SECRET and QUILT_MCP_JWT_SECRET_FILE are set.
    case conflictingSecretSources = "secret-conflict"
    /// The HS256 secret is shorter than 32 bytes (RFC 7518 §3.2: at least the hash size).
    case weakSecret = "secret-weak"
    /// The request-state key file could not be read, or holds nothing.
    case unreadableStateKeyFile = "state-key-file"
    /// Both QUILT_MCP_REQUEST_STATE_KEY and QUILT_MCP_REQUEST_STATE_KEY_FILE are set.
    case conflictingStateKeySources = "state-key-conflict"
    /// The request-state key is shorter than 32 bytes.
    case weakStateKey = "state-key-weak"

    /// Why the rule exists, one sentence (for docs).
    package var reason: String {
        switch self {
        case .statelessSession: return "quilt3's login session lives in files under HOME, which stateless never opens."
        case .platformWithoutCatalog: return "The platform API is found through the catalog."
        case .platformWithIAM: return "The catalog API needs a bearer token, not AWS credentials."
        case .stdioJWTWithoutToken: return "stdio has no per-request Authorization header."
        case .multiTenantWithoutJWT: return "The tenant comes only from verified token claims."
        case .multiTenantOverStdio: return "A stdio server has exactly one client per process."
        case .remoteOverStdio: return "Remote deployments serve HTTP."
        case .statelessFileRegistry: return "Stateless writes nothing to disk."
        case .registryAPIWithoutRegistry: return "The registry API needs a registry to read and write."
        case .jwtS3WithoutCatalog: return "The JWT is exchanged for AWS credentials at the catalog."
        case .ignoredToken: return "A token only matters to auth=jwt or api=platform."
        case .ignoredVerification: return "Bearer tokens are verified only with auth=jwt."
        case .conflictingVerificationKeys: return "Tokens are verified with one kind of key: an HS256 secret or a JWKS."
        case .claimChecksWithoutKey: return "Issuer and audience checks mean nothing without a verified signature."
        case .remotePersistent: return "A remote server's callers must never reach its filesystem."
        case .unverifiedLocalRegistry: return "No catalog checks tokens for memory:// or file:// registries."
        case .fileRegistryOutOfReach: return "Callers of this deployment may not reach the server's files."
        case .jwksWithoutAudience: return "Without an audience check, tokens minted for other services would verify."
        case .metricsOnServerPort: return "Metrics are served apart from /mcp, on their own port."
        case .protectedResourceWithoutJWT: return "OAuth metadata describes bearer tokens, which only auth=jwt over HTTP asks for."
        case .scopesWithoutKey: return "Scope checks mean nothing without a verified signature."
        case .invalidValue: return "Values must be among those accepted."
        case .missingValue: return "A flag must be followed by its value."
        case .unreadableTokenFile: return "The configured token must be readable at start-up."
        case .conflictingTokenSources: return "One token source at a time."
        case .unreadableSecretFile: return "The configured HS256 secret must be readable at start-up."
        case .conflictingSecretSources: return "One secret source at a time."
        case .weakSecret: return "An HS256 key must be at least as long as the hash (32 bytes)."
        case .unreadableStateKeyFile: return "The configured request-state key must be readable at start-up."
        case .conflictingStateKeySources: return "One request-state key source at a time."
        case .weakStateKey: return "An HMAC-SHA256 key must be at least as long as the hash (32 bytes)."
        }
    }
}
