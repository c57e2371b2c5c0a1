import QuiltHash
public import QuiltJSON

/// Who is calling, for one request: the bearer token, its claims and the tenant they establish.
///
/// The HTTP server builds one per `/mcp` request from `Authorization: Bearer` (verified when the mode configures
/// a key); over stdio it comes from the mode's configured token. Backends receive it through
/// `BackendFactory.make(mode:credentials:)` and may forward ``bearerToken`` to the catalog or exchange it for AWS
/// credentials. The token is never printed: `description`, `dump` and `Mirror` show only whether it was
/// verified, the subject, the tenant and a digest prefix.
public struct RequestCredentials: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    private let token: String
    /// True when the signature and the `exp`/`nbf`/`iss`/`aud` claims were checked locally.
    public let verified: Bool
    /// The token's payload claims (verified or not); empty when the token has no decodable JSON payload.
    public let claims: JSONObject
    /// The tenant, from verified claims only (``tenantClaims``); nil when unverified or single-tenant.
    public let tenant: String?
    /// The claim ``tenant`` was read from (`tenant`, `id` or `sub`); part of ``cacheKey``, so a `sub` never
    /// names the same tenant as another caller's `tenant` claim.
    public let tenantClaim: String?
    /// Lowercase hex SHA-256 of the token: the key for anything cached per caller when there is no tenant.
    public let tokenDigest: String

    /// The claims a tenant is read from, first present (a non-empty string) wins: `tenant`, then the Quilt
    /// catalog's `id`, then `sub`.
    public static let tenantClaims = ["tenant", "id", "sub"]

    /// Credentials for `bearerToken`; `tenant` must come from verified claims, read from `tenantClaim`
    /// (defaults to `tenant`). Never fails.
    public init(bearerToken: String, verified: Bool, claims: JSONObject, tenant: String?, tenantClaim: String? = nil) {
        token = bearerToken
        self.verified = verified
        self.claims = claims
        self.tenant = tenant
        self.tenantClaim = tenant == nil ? nil : (tenantClaim ?? "tenant")
        tokenDigest = ObjectHashing.hash(Array(bearerToken.utf8), type: .sha256).value
    }

    /// The bearer token, to forward to the catalog. Never log or print it.
    public var bearerToken: String { token }

    /// Who the token names (`sub`, else `id`, else `email`), for display; nil when none is present.
    public var subject: String? {
        for name in ["sub", "id", "email"] {
            if let value = claims[name]?.stringValue, !value.isEmpty { return value }
        }
        return nil
    }

    /// The key for per-caller state: `tenant:<claim>:<tenant>` when a verified tenant exists (the claim it came
    /// from included, so kinds never collide), else `token-sha256:<digest>`.
    public var cacheKey: String {
        guard let tenant else { return "token-sha256:" + tokenDigest }
        return "tenant:\(tenantClaim ?? "tenant"):\(tenant)"
    }

    /// Who owns what this caller starts (an HTTP session): the verified tenant or subject, so a refreshed token
    /// keeps it; an unverified token's claims prove nothing, so then only the same token does.
    public var ownerKey: String {
        guard verified, tenant == nil, let subject else { return cacheKey }
        return "subject:" + subject
    }

    /// The tenant named by `claims` (see ``tenantClaims``); nil when none is present.
    public static func tenant(in claims: JSONObject) -> String? { tenantClaim(in: claims)?.value }

    /// The tenant named by `claims` and the claim it came from (see ``tenantClaims``); nil when none is present.
    public static func tenantClaim(in claims: JSONObject) -> (claim: String, value: String)? {
        for name in tenantClaims {
            if let value = claims[name]?.stringValue, !value.isEmpty { return (name, value) }
        }
        return nil
    }

    /// `bearer token (verified, subject alice, tenant alice, sha256 1a2b3c4d…)`: never the token.
    public var description: String {
        var parts = [verified ? "verified" : "unverified"]
        if let subject { parts.append("subject \(subject)") }
        if let tenant { parts.append("tenant \(tenant)") }
        parts.append("sha256 \(tokenDigest.prefix(8))…")
        return "bearer token (\(parts.joined(separator: ", ")))"
    }

    /// One child, the description; never the token.
    public var customMirror: Mirror { Mirror(self, children: ["credentials": description], displayStyle: .struct) }
}
