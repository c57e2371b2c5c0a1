package import Foundation
import JWTKit
import QuiltJSON

/// The claims of the fake's tokens (the catalog's: `id`, `uuid`, `exp`, plus `sub` and `email`).
struct FakeClaims: JWTPayload {
    var sub: SubjectClaim
    var id: String?
    var email: String?
    var exp: ExpirationClaim
    var typ: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Signs and verifies the fake catalog's HS256 tokens with a test key.
package struct FakeAuth: Sendable {
    /// The test signing key every fake uses unless told otherwise (never a real secret).
    package static let testKey = "fake-catalog-test-signing-key-not-a-secret-0123456789"
    let keys: JWTKeyCollection

    /// Signs and verifies with `key` (HS256).
    package init(key: String) async {
        let k = JWTKeyCollection()
        await k.add(hmac: HMACKey(from: Array(key.utf8)), digestAlgorithm: .sha256)
        keys = k
    }

    /// A token for `subject`, valid for `expiresIn` seconds (negative: already expired).
    package func mint(subject: String, email: String? = nil, expiresIn: TimeInterval = 3600, refresh: Bool = false) async throws -> String {
        try await keys.sign(
            FakeClaims(
                sub: SubjectClaim(value: subject), id: subject, email: email ?? "\(subject)@example.com",
                exp: ExpirationClaim(value: Date().addingTimeInterval(expiresIn)), typ: refresh ? "refresh" : nil))
    }

    /// The user a bearer token names. A subject named `admin` or `admin-…` is a catalog admin (the fake's convention:
    /// `fake-catalog mint-token admin` makes an admin's token).
    /// - Throws: a reason when the token is missing, malformed, badly signed or expired.
    func verify(_ token: String) async throws -> (FakeUser, refresh: Bool) {
        let claims = try await keys.verify(token, as: FakeClaims.self)
        let subject = claims.sub.value
        return (
            FakeUser(name: subject, email: claims.email ?? "\(subject)@example.com", isAdmin: subject == "admin" || subject.hasPrefix("admin-")),
            claims.typ == "refresh"
        )
    }
}
