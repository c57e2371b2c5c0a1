/// Local verification of bearer tokens, resolved from `jwt_secret` / `jwt_jwks_url`, `jwt_issuer`, `jwt_audience`.
///
/// Present on a ``Mode`` only when auth=jwt and a key is configured; otherwise tokens are passed on unverified
/// (the catalog verifies them). The HS256 secret is kept but never printed: `description`, `dump` and `Mirror`
/// show only where it came from.
package struct JWTVerification: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// What signs the tokens.
    package enum Key: Sendable, Hashable {
        /// HMAC-SHA256 with a shared secret (≥ 32 bytes), from `source`.
        case hs256(source: JWTTokenSource)
        /// RS256 or ES256 (P-256) public keys, fetched from this JWKS URL.
        case jwks(url: String)
    }

    /// The key kind and where it comes from.
    package let key: Key
    /// The `iss` every token must carry; nil = not checked.
    package let issuer: String?
    /// A value the `aud` claim (a string or an array of strings) must contain; nil = not checked.
    package let audience: String?
    /// Seconds of clock skew tolerated for `exp` and `nbf`.
    package let leewaySeconds: Int
    let secret: RedactedSecret?

    /// The tolerated clock skew for `exp` and `nbf`: 30 seconds.
    package static let defaultLeewaySeconds = 30

    /// A verification setting; `secret` is required for `.hs256` and ignored otherwise. Never fails.
    package init(key: Key, secret: String? = nil, issuer: String? = nil, audience: String? = nil,
                leewaySeconds: Int = defaultLeewaySeconds) {
        self.key = key
        self.secret = secret.map(RedactedSecret.init(value:))
        self.issuer = issuer
        self.audience = audience
        self.leewaySeconds = leewaySeconds
    }

    /// The HS256 secret's bytes (UTF-8 of the configured text); nil for a JWKS key. Never log or print it.
    package var hs256Secret: [UInt8]? {
        guard case .hs256 = key, let secret else { return nil }
        return Array(secret.value.utf8)
    }

    /// `HS256 (secret from QUILT_MCP_JWT_SECRET_FILE=/run/s), iss=…, aud=…`: no secret.
    package var description: String {
        var parts: [String]
        switch key {
        case .hs256(let source): parts = ["HS256 (secret from \(source))"]
        case .jwks(let url): parts = ["RS256/ES256 (JWKS \(url))"]
        }
        parts.append("iss=\(issuer ?? "not checked")")
        parts.append("aud=\(audience ?? "not checked")")
        parts.append("leeway=\(leewaySeconds)s")
        return parts.joined(separator: ", ")
    }

    /// One child, the description; never the secret.
    package var customMirror: Mirror { Mirror(self, children: ["verification": description], displayStyle: .struct) }

    /// `hs256` or `jwks`, for summaries.
    package var kind: String {
        switch key {
        case .hs256: return "hs256"
        case .jwks: return "jwks"
        }
    }
}
