package import FoundationEssentials
package import QuiltContract
import QuiltJSON
package import QuiltMode

/// Turns a request's `Authorization` header (or the mode's configured token) into the caller's credentials, as
/// the mode says: with auth=jwt a bearer JWT is required; with local verification configured its signature and
/// claims are checked; with tenancy=multi the tenant is read from verified claims only.
package struct Authenticator: Sendable {
    /// The resolved mode.
    package let mode: Mode
    let verifier: TokenVerifier?
    /// Tokens accepted lately (an entry lasts 30 s at most, never past the token's `exp`).
    let accepted = VerifiedTokenCache()

    /// An authenticator for `mode`; with a JWKS URL, keys are fetched on first use with `fetch` (default: an HTTP
    /// GET with AsyncHTTPClient), refreshed on an unknown `kid` at most once per `minimumRefreshInterval`, and
    /// re-fetched once older than `maximumKeyAge` (10 minutes by default).
    package init(mode: Mode, fetch: (@Sendable (String) async throws -> Data)? = nil,
                minimumRefreshInterval: Duration = .seconds(10), maximumKeyAge: Duration = .seconds(600)) async {
        self.mode = mode
        if let verification = mode.jwtVerification {
            verifier = await TokenVerifier(
                verification, fetch: fetch ?? JWKSKeySet.fetchOverHTTP, minimumRefreshInterval: minimumRefreshInterval,
                maximumKeyAge: maximumKeyAge)
        } else {
            verifier = nil
        }
    }

    /// True when every `/mcp` request must carry `Authorization: Bearer` (auth=jwt).
    package var requiresBearer: Bool { mode.auth == .jwt }

    /// True when tokens are verified here.
    package var verifies: Bool { verifier != nil }

    /// The credentials for a request with this `Authorization` header value; nil credentials when auth is not jwt
    /// (the header is then ignored).
    /// - Throws: ``AuthFailure`` `invalid_request` when the header is missing or not `Bearer <token>`, else as
    ///   ``credentials(forToken:)``.
    package func authenticate(authorization: String?) async throws(AuthFailure) -> RequestCredentials? {
        guard requiresBearer else { return nil }
        guard let authorization, !authorization.isEmpty else {
            throw AuthFailure(.invalidRequest, "this server requires Authorization: Bearer <token>")
        }
        return try await credentials(forToken: try Self.bearerToken(authorization))
    }

    /// The credentials for `token`: verified claims when verification is configured (else the claims as
    /// written), and with tenancy=multi the tenant from verified claims (`tenant`, `id`, `sub`).
    /// - Throws: ``AuthFailure`` `invalid_token` when the token is not a JWT or does not verify; a verified
    ///   multi-tenant token without a tenant claim is refused.
    package func credentials(forToken token: String) async throws(AuthFailure) -> RequestCredentials {
        if let known = accepted.credentials(for: token) { return known }
        let credentials = try await check(token)
        accepted.keep(credentials, for: token)
        return credentials
    }

    private func check(_ token: String) async throws(AuthFailure) -> RequestCredentials {
        guard let verifier else {
            let jwt = try CompactJWT(token)
            return RequestCredentials(bearerToken: token, verified: false, claims: jwt.claims, tenant: nil)
        }
        let claims = try await verifier.verify(token)
        try Self.checkScopes(claims, required: mode.protectedResource.scopes)
        var tenant: (claim: String, value: String)?
        if mode.tenancy == .multi {
            guard let found = RequestCredentials.tenantClaim(in: claims) else {
                throw AuthFailure(.invalidToken, "the token names no tenant (claims tenant, id or sub)")
            }
            tenant = found
        }
        return RequestCredentials(
            bearerToken: token, verified: true, claims: claims, tenant: tenant?.value, tenantClaim: tenant?.claim)
    }

    /// Refuses a verified token whose `scope` (space-separated, RFC 8693) or `scp` (string or array) claim lacks one
    /// of `required`.
    /// - Throws: ``AuthFailure`` `insufficient_scope` (403) naming what is missing.
    static func checkScopes(_ claims: JSONObject, required: [String]) throws(AuthFailure) {
        guard !required.isEmpty else { return }
        var granted = Set<String>()
        for claim in ["scope", "scp"] {
            switch claims[claim] {
            case .string(let text)?: granted.formUnion(text.split(separator: " ").map(String.init))
            case .array(let items)?: granted.formUnion(items.compactMap(\.stringValue))
            default: break
            }
        }
        let missing = required.filter { !granted.contains($0) }
        guard missing.isEmpty else {
            throw AuthFailure(.insufficientScope, "the token lacks the scope(s) \(missing.joined(separator: " "))", status: 403)
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive; RFC 6750 token characters only).
    /// - Throws: ``AuthFailure`` `invalid_request` for another scheme, `invalid_token` for an empty or
    ///   malformed token.
    static func bearerToken(_ header: String) throws(AuthFailure) -> String {
        // Byte by byte: this runs on every request, and HTTP's whitespace here is SP and HTAB.
        let bytes = header.utf8
        func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }),
            let space = bytes[first...last].firstIndex(where: isSpace)
        else {
            throw AuthFailure(.invalidRequest, "the Authorization header is not Bearer <token>")
        }
        let scheme = bytes[first..<space]
        guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else {
            throw AuthFailure(.invalidRequest, "the Authorization header is not Bearer <token>")
        }
        guard let start = bytes[space...last].firstIndex(where: { !isSpace($0) }) else {
            throw AuthFailure(.invalidRequest, "the bearer token is empty")
        }
        let token = bytes[start...last]
        guard token.allSatisfy(isTokenByte) else {
            throw AuthFailure(.invalidToken, "the bearer token has characters a token cannot have")
        }
        return String(decoding: token, as: UTF8.self)
    }

    /// RFC 6750 `b64token` characters.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"),
            UInt8(ascii: "="):
            true
        default: false
        }
    }
}
