import QuiltContract
import QuiltHTTPServer
import QuiltJSON
import Synchronization
import Testing

/// How long an accepted token is taken on trust, and what the cache holds.
@Suite("Accepted-token cache")
struct VerifiedTokenCacheTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        let seconds = Mutex<Double>(1_000_000)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: @Sendable () -> Double { { self.seconds.withLock { $0 } } }
    }

    static func credentials(_ token: String, exp: Double? = nil) -> RequestCredentials {
        var claims: JSONObject = ["sub": "alice"]
        if let exp { claims["exp"] = .number(JSONNumber(exp)) }
        return RequestCredentials(bearerToken: token, verified: true, claims: claims, tenant: nil)
    }

    @Test("A kept token is answered until its lifetime ends, and not after")
    func lifetime() {
        let clock = Clock()
        let cache = VerifiedTokenCache(now: clock.now)
        #expect(cache.credentials(for: "t1") == nil)
        cache.keep(Self.credentials("t1"), for: "t1")
        clock.advance(VerifiedTokenCache.lifetime - 1)
        #expect(cache.credentials(for: "t1") == Self.credentials("t1"))
        clock.advance(1)
        #expect(cache.credentials(for: "t1") == nil)
    }

    @Test("An entry never outlives its token's exp; an expired token is not kept at all")
    func expiry() {
        let clock = Clock()
        let cache = VerifiedTokenCache(now: clock.now)
        let start = clock.now()
        cache.keep(Self.credentials("soon", exp: start + 5), for: "soon")
        cache.keep(Self.credentials("gone", exp: start - 1), for: "gone")
        #expect(cache.credentials(for: "gone") == nil)
        clock.advance(4)
        #expect(cache.credentials(for: "soon") != nil)
        clock.advance(1)
        #expect(cache.credentials(for: "soon") == nil)
    }

    @Test("A full cache drops what expired first, then everything; it never holds more than its capacity")
    func capacity() {
        let clock = Clock()
        let cache = VerifiedTokenCache(now: clock.now)
        let start = clock.now()
        cache.keep(Self.credentials("short", exp: start + 2), for: "short")
        for i in 1..<VerifiedTokenCache.capacity { cache.keep(Self.credentials("t\(i)"), for: "t\(i)") }
        clock.advance(3)
        cache.keep(Self.credentials("new"), for: "new")  // full: the expired one makes room
        #expect(cache.credentials(for: "t1") != nil)
        #expect(cache.credentials(for: "new") != nil)
        cache.keep(Self.credentials("newer"), for: "newer")  // full of live entries: all go, the newest stays
        #expect(cache.credentials(for: "t1") == nil)
        #expect(cache.credentials(for: "newer") != nil)
    }
}
