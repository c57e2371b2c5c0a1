import AsyncHTTPClient
import FoundationEssentials
import JWTKit
import NIOCore
import NIOHTTP1
import QuiltJSON

/// The public keys of a JWKS URL, fetched on first use, cached, and refreshed when a token names an unknown `kid`
/// (at most once per `minimumRefreshInterval`, so unknown kids cannot make the server hammer the issuer) and when
/// the cached set is older than `maximumAge` (so a key the issuer withdrew stops verifying; if that refresh fails
/// the cached keys stay in use).
///
/// Each usable key is pinned to one algorithm by its type — RSA → RS256, EC P-256 → ES256 — whatever the token's
/// header says; keys of other types or curves, encryption keys (`use: enc`) and keys whose own `alg` disagrees
/// are ignored.
actor JWKSKeySet {
    /// Fetches the JWKS document at a URL.
    typealias Fetch = @Sendable (String) async throws -> Data

    /// One verification key.
    struct Key: Sendable {
        /// The `kid` ("" for a key without one).
        let id: String
        /// `RS256` or `ES256`.
        let algorithm: String
        /// A collection holding only this key, its algorithm fixed.
        let collection: JWTKeyCollection
    }

    /// The algorithms a JWKS key can verify here.
    static let algorithms: Set<String> = ["RS256", "ES256"]
    /// The largest JWKS document accepted.
    static let maximumBytes = 1 << 20

    let url: String
    private let fetch: Fetch
    private let minimumRefreshInterval: Duration
    private let maximumAge: Duration
    private var loadedAt: ContinuousClock.Instant?
    private var keys: [String: Key] = [:]
    private var lastFetch: ContinuousClock.Instant?
    private var refreshing: Task<Void, any Error>?
    private var lastFetchFailed = false
    /// How many times the document was fetched (for tests and diagnostics).
    private(set) var fetchCount = 0

    init(url: String, fetch: @escaping Fetch, minimumRefreshInterval: Duration, maximumAge: Duration = .seconds(600)) {
        self.url = url
        self.fetch = fetch
        self.minimumRefreshInterval = minimumRefreshInterval
        self.maximumAge = maximumAge
    }

    /// The key a token with `kid` names; a token without `kid` is accepted only when the set has exactly one key.
    /// - Throws: ``AuthFailure`` `invalid_token` for an unknown kid (after one refresh), 503 when the JWKS cannot
    ///   be fetched at all.
    func key(for kid: String?) async throws(AuthFailure) -> Key {
        if let loadedAt, ContinuousClock.now - loadedAt >= maximumAge {
            try? await refresh()
        }
        if let found = lookup(kid) { return found }
        if lastFetch == nil || ContinuousClock.now - (lastFetch ?? .now) >= minimumRefreshInterval {
            try await refresh()
            if let found = lookup(kid) { return found }
        }
        if lastFetchFailed {
            throw AuthFailure(.invalidToken, "the verification keys could not be fetched from the JWKS URL", status: 503)
        }
        if let kid { throw AuthFailure(.invalidToken, "no key with kid \(kid) in the JWKS") }
        throw AuthFailure(.invalidToken, "the token has no kid and the JWKS does not hold exactly one usable key")
    }

    private func lookup(_ kid: String?) -> Key? {
        if let kid { return keys[kid] }
        return keys.count == 1 ? keys.values.first : nil
    }

    /// Fetches and replaces the key set; concurrent callers share one fetch.
    func refresh() async throws(AuthFailure) {
        let task: Task<Void, any Error>
        if let refreshing {
            task = refreshing
        } else {
            task = Task { try await self.load() }
            refreshing = task
        }
        defer { refreshing = nil }
        do {
            try await task.value
            lastFetchFailed = false
        } catch {
            lastFetch = .now
            lastFetchFailed = true
            throw AuthFailure(.invalidToken, "the verification keys could not be fetched from the JWKS URL", status: 503)
        }
    }

    private func load() async throws {
        fetchCount += 1
        let data = try await fetch(url)
        lastFetch = .now
        guard data.count <= Self.maximumBytes, case .object(let document) = try JSONParser.parse(data),
            case .array(let entries)? = document["keys"]
        else { throw AuthFailure(.invalidToken, "the JWKS is not a JSON object with keys", status: 503) }
        var loaded: [String: Key] = [:]
        for case .object(var jwk) in entries {
            guard let algorithm = Self.pinnedAlgorithm(jwk) else { continue }
            jwk["alg"] = .string(algorithm)
            let kid = jwk["kid"]?.stringValue ?? ""
            if kid.isEmpty { jwk["kid"] = "quilt-mcp-unnamed" }
            let collection = JWTKeyCollection()
            do {
                try await collection.add(jwksJSON: JSONWriter.compact(["keys": [.object(jwk)]]))
            } catch {
                continue
            }
            loaded[kid] = Key(id: kid, algorithm: algorithm, collection: collection)
        }
        keys = loaded
        loadedAt = .now
    }

    /// RS256 for an RSA key, ES256 for an EC P-256 key; nil for anything else or a key whose `alg`/`use` disagree.
    static func pinnedAlgorithm(_ jwk: JSONObject) -> String? {
        if let use = jwk["use"]?.stringValue, use != "sig" { return nil }
        let algorithm: String
        switch (jwk["kty"]?.stringValue, jwk["crv"]?.stringValue) {
        case ("RSA"?, _): algorithm = "RS256"
        case ("EC"?, "P-256"?): algorithm = "ES256"
        default: return nil
        }
        if let declared = jwk["alg"]?.stringValue, declared != algorithm { return nil }
        return algorithm
    }

    /// GETs `url` with AsyncHTTPClient (10 s timeout, 1 MiB limit); a non-2xx status is an error.
    static let fetchOverHTTP: Fetch = { url in
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard (200..<300).contains(response.status.code) else {
            throw AuthFailure(.invalidToken, "the JWKS URL answered \(response.status.code)", status: 503)
        }
        let body = try await response.body.collect(upTo: maximumBytes)
        return Data(body.readableBytesView)
    }
}
