import Foundation
import QuiltContract
import QuiltHTTPServer
import QuiltJSON
import QuiltMode
import Synchronization
import Testing

/// Keys made once for the whole suite (RSA generation takes a moment).
enum TestKeys {
    static let rsa = Task { try await SigningKey.make(.rsa, kid: "rsa-1") }
    static let rsaRotated = Task { try await SigningKey.make(.rsa, kid: "rsa-2") }
    static let ec = Task { try await SigningKey.make(.ec, kid: "ec-1") }
}

/// A mode resolved from flags, with a test HOME.
func testMode(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Mode {
    try ModeResolver.resolve(arguments: arguments, environment: environment.merging(["HOME": "/nonexistent"]) { $1 }).mode
}

/// A JWKS document fetched through a closure that counts fetches, with keys that can be replaced.
final class FakeJWKS: Sendable {
    private let state: Mutex<(keys: [JSONValue], fetches: Int)>

    init(_ keys: [JSONValue]) { state = Mutex((keys, 0)) }

    func replace(_ keys: [JSONValue]) { state.withLock { $0.keys = keys } }
    var fetches: Int { state.withLock { $0.fetches } }

    var fetch: @Sendable (String) async throws -> Data {
        { _ in
            self.state.withLock { s in
                s.fetches += 1
                return Data(JSONWriter.compact(["keys": .array(s.keys)]).utf8)
            }
        }
    }
}

@Suite("JWKS verification (RS256, ES256): pinning, caching, rotation")
struct JWKSTests {
    static let jwksArguments = [
        "--auth", "jwt", "--tenancy", "multi", "--transport", "http", "--jwt-jwks-url", "https://issuer.test/jwks.json",
        "--jwt-audience", "quilt-mcp", "--state", "stateless", "--registry", "memory://jwks",
    ]

    @Test("RS256 and ES256 tokens verify; the JWKS is fetched once for many tokens")
    func verifiesAndCaches() async throws {
        let rsa = try await TestKeys.rsa.value
        let ec = try await TestKeys.ec.value
        let jwks = FakeJWKS([rsa.jwk, ec.jwk])
        let auth = await Authenticator(mode: try testMode(Self.jwksArguments), fetch: jwks.fetch)
        for i in 0..<5 {
            let r = try await auth.credentials(forToken: try await rsa.sign(TokenMint.claims(sub: "r\(i)")))
            #expect(r.verified && r.tenant == "r\(i)")
            let e = try await auth.credentials(forToken: try await ec.sign(TokenMint.claims(sub: "e\(i)")))
            #expect(e.verified && e.tenant == "e\(i)")
        }
        #expect(jwks.fetches == 1)
    }

    @Test("An unknown kid refreshes the JWKS once (rotation); a withdrawn key stops verifying once the cache ages")
    func rotation() async throws {
        let old = try await TestKeys.rsa.value
        let new = try await TestKeys.rsaRotated.value
        let jwks = FakeJWKS([old.jwk])
        let auth = await Authenticator(mode: try testMode(Self.jwksArguments), fetch: jwks.fetch, minimumRefreshInterval: .zero)
        _ = try await auth.credentials(forToken: try await old.sign(TokenMint.claims(sub: "a")))
        #expect(jwks.fetches == 1)
        jwks.replace([old.jwk, new.jwk])
        let rotated = try await auth.credentials(forToken: try await new.sign(TokenMint.claims(sub: "b")))
        #expect(rotated.tenant == "b")
        #expect(jwks.fetches == 2)
        // Still cached (known kid, fresh cache): accepted without a fetch.
        jwks.replace([new.jwk])
        let oldToken = try await old.sign(TokenMint.claims(sub: "a"))
        _ = try await auth.credentials(forToken: oldToken)
        #expect(jwks.fetches == 2)
        // With a cache that is always stale, the withdrawn key is gone at the next lookup.
        let strict = await Authenticator(
            mode: try testMode(Self.jwksArguments), fetch: jwks.fetch, minimumRefreshInterval: .zero, maximumKeyAge: .zero)
        _ = try await strict.credentials(forToken: try await new.sign(TokenMint.claims(sub: "b")))
        await #expect(throws: AuthFailure.self) { _ = try await strict.credentials(forToken: oldToken) }
    }

    @Test("Refreshes are rate limited: unknown kids cannot make the server hammer the issuer")
    func rateLimited() async throws {
        let key = try await TestKeys.rsa.value
        let jwks = FakeJWKS([key.jwk])
        let auth = await Authenticator(mode: try testMode(Self.jwksArguments), fetch: jwks.fetch, minimumRefreshInterval: .seconds(60))
        _ = try await auth.credentials(forToken: try await key.sign(TokenMint.claims(sub: "a")))
        for _ in 0..<10 {
            let forged = TokenMint.hs256(TokenMint.claims(sub: "x"), header: ["alg": "RS256", "kid": "unknown-kid"])
            await #expect(throws: AuthFailure.self) { _ = try await auth.credentials(forToken: forged) }
        }
        #expect(jwks.fetches == 1)
    }

    @Test("Algorithm confusion and alg none are refused against a JWKS")
    func confusion() async throws {
        let rsa = try await TestKeys.rsa.value
        let ec = try await TestKeys.ec.value
        let jwks = FakeJWKS([rsa.jwk, ec.jwk])
        let auth = await Authenticator(mode: try testMode(Self.jwksArguments), fetch: jwks.fetch)
        // HS256 signed with the RSA public modulus as the HMAC secret, naming the RSA key.
        let modulus = rsa.jwk["n"]?.stringValue ?? ""
        let hmacWithPublicKey = TokenMint.hs256(
            TokenMint.claims(sub: "mallory"), secret: modulus, header: ["alg": "HS256", "kid": "rsa-1"])
        // An RS256 signature presented as ES256 for the RSA key, and an ES256 token naming the RSA kid.
        let rsToken = try await rsa.sign(TokenMint.claims(sub: "mallory"))
        let relabelled = TokenMint.segment(["alg": "ES256", "kid": "rsa-1"]) + "." + rsToken.split(separator: ".")[1] + "." + rsToken.split(separator: ".")[2]
        let ecToken = try await ec.sign(TokenMint.claims(sub: "mallory"))
        let wrongKid = TokenMint.segment(["alg": "ES256", "kid": "rsa-1"]) + "." + ecToken.split(separator: ".")[1] + "." + ecToken.split(separator: ".")[2]
        let cases: [(String, String)] = [
            (hmacWithPublicKey, "accepts RS256 and ES256 only"),
            (relabelled, "is an RS256 key"),
            (wrongKid, "is an RS256 key"),
            (TokenMint.unsigned(TokenMint.claims(sub: "mallory")), "alg none is refused"),
            (TokenMint.segment(["alg": "RS256", "kid": "rsa-1"]) + "." + TokenMint.segment(.object(TokenMint.claims(sub: "m"))) + ".",
             "signature does not verify"),
        ]
        for (token, text) in cases {
            do {
                _ = try await auth.credentials(forToken: token)
                Issue.record("accepted a hostile token expected to fail with: \(text)")
            } catch {
                #expect(error.code == .invalidToken)
                #expect(error.message.contains(text), "\(error.message)")
            }
        }
    }

    @Test("An unreachable JWKS is a 503-class failure, not a silent accept")
    func unreachable() async throws {
        let key = try await TestKeys.rsa.value
        let auth = await Authenticator(mode: try testMode(Self.jwksArguments), fetch: { _ in throw CocoaError(.fileReadNoPermission) })
        let token = try await key.sign(TokenMint.claims(sub: "a"))
        do {
            _ = try await auth.credentials(forToken: token)
            Issue.record("accepted a token with no keys")
        } catch {
            #expect(error.status == 503)
        }
    }

    @Test("Over HTTP: the executable fetches the JWKS from a 127.0.0.1 server once and verifies RS256 and ES256")
    func executable() async throws {
        let rsa = try await TestKeys.rsa.value
        let ec = try await TestKeys.ec.value
        let jwks = try await JWKSServer(keys: [rsa.jwk, ec.jwk])
        defer { jwks.stop() }
        let arguments = ["--auth", "jwt", "--tenancy", "multi", "--registry", "memory://jwks", "--jwt-jwks-url", jwks.url,
                         "--jwt-audience", "quilt-mcp"]
        try await withHTTPServer(arguments) { server, _ in
            for key in [rsa, ec, rsa] {
                let token = try await key.sign(TokenMint.claims(sub: "user-\(key.kid)"))
                let status = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "resources/read", ["uri": "auth://status"]), token: token)
                #expect(status.status == 200)
                let text = status.result?["contents"]?[0]?["text"]?.stringValue ?? ""
                #expect(text.contains("\"identity\": \"user-\(key.kid)\""))
                #expect(text.contains("verified here"))
            }
            let forged = TokenMint.hs256(TokenMint.claims(sub: "x"), secret: rsa.jwk["n"]?.stringValue ?? "", header: ["alg": "HS256", "kid": "rsa-1"])
            expectRefused(try await ping(server, authorization: "Bearer \(forged)"), "invalid_token", "accepts RS256 and ES256 only")
            #expect(jwks.fetches == 1)
        }
    }
}
