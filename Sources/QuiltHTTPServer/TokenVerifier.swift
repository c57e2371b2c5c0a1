import FoundationEssentials
import JWTKit
import QuiltJSON
import QuiltMode

/// Verifies bearer tokens locally: the algorithm (never `none`, never one the key was not made for), the
/// signature (HS256 with the configured secret, or RS256/ES256 with a key from the JWKS), then the claims
/// (`exp` required, `nbf`, `iss`, `aud`, with leeway). jwt-kit does the cryptography; the algorithm pinning and
/// the claim checks are done here, before and after it, so their messages are precise.
struct TokenVerifier: Sendable {
    enum Keys: Sendable {
        case hs256(JWTKeyCollection)
        case jwks(JWKSKeySet)
    }

    let keys: Keys
    let claims: ClaimChecks
    /// Seconds since 1970 (fixed in tests).
    let now: @Sendable () -> Double

    /// A verifier for `verification`; a JWKS is fetched with `fetch` on first use (and refreshed on an unknown
    /// `kid`, at most once per `minimumRefreshInterval`).
    init(
        _ verification: JWTVerification, fetch: @escaping JWKSKeySet.Fetch = JWKSKeySet.fetchOverHTTP,
        minimumRefreshInterval: Duration = .seconds(10), maximumKeyAge: Duration = .seconds(600),
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) async {
        switch verification.key {
        case .hs256:
            let collection = JWTKeyCollection()
            await collection.add(hmac: HMACKey(from: verification.hs256Secret ?? []), digestAlgorithm: .sha256)
            keys = .hs256(collection)
        case .jwks(let url):
            keys = .jwks(JWKSKeySet(
                url: url, fetch: fetch, minimumRefreshInterval: minimumRefreshInterval, maximumAge: maximumKeyAge))
        }
        claims = ClaimChecks(verification)
        self.now = now
    }

    /// The verified claims of `token`.
    /// - Throws: ``AuthFailure`` — `invalid_token` for anything wrong with the token; status 503 when the JWKS
    ///   cannot be fetched.
    func verify(_ token: String) async throws(AuthFailure) -> JSONObject {
        let jwt = try CompactJWT(token)
        guard jwt.header["crit"] == nil else {
            throw AuthFailure(.invalidToken, "the JWT header has crit parameters, which this server does not support")
        }
        guard let alg = jwt.algorithm else { throw AuthFailure(.invalidToken, "the JWT header has no alg") }
        if alg.lowercased() == "none" {
            throw AuthFailure(.invalidToken, "alg none is refused: tokens must be signed")
        }
        switch keys {
        case .hs256(let collection):
            guard alg == "HS256" else {
                throw AuthFailure(.invalidToken, "the token is signed with \(alg); this server accepts HS256 only")
            }
            try await Self.verifySignature(token, with: collection)
        case .jwks(let set):
            guard JWKSKeySet.algorithms.contains(alg) else {
                throw AuthFailure(.invalidToken, "the token is signed with \(alg); this server accepts RS256 and ES256 only")
            }
            let key = try await set.key(for: jwt.keyID)
            guard key.algorithm == alg else {
                throw AuthFailure(
                    .invalidToken, "the token says \(alg) but key \(key.id.isEmpty ? "(no kid)" : key.id) is an \(key.algorithm) key")
            }
            try await Self.verifySignature(token, with: key.collection)
        }
        try claims.check(jwt.claims, now: now())
        return jwt.claims
    }

    private static func verifySignature(_ token: String, with collection: JWTKeyCollection) async throws(AuthFailure) {
        do {
            _ = try await collection.verify(token, as: SignatureOnly.self)
        } catch {
            throw AuthFailure(.invalidToken, "the token's signature does not verify")
        }
    }
}

/// A payload type that decodes nothing: jwt-kit checks the signature, the claims are checked by ``ClaimChecks``.
struct SignatureOnly: JWTPayload {
    init() {}
    init(from decoder: any Decoder) throws {}
    func encode(to encoder: any Encoder) throws {}
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
