import Crypto
import Foundation
import JWTKit
import QuiltJSON
import _CryptoExtras

/// Test tokens: HS256 signed with a secret, RS256/ES256 with generated keys (their public JWKS served by
/// ``JWKSServer``), and hand-made hostile ones (`alg: none`, algorithm confusion).
enum TokenMint {
    /// A 48-byte HS256 secret.
    static let secret = "test-hs256-secret-0123456789-abcdefghijklmnopqrs"

    /// Standard claims: `sub`, `exp` one hour ahead, `aud` `quilt-mcp` (what the JWKS deployments check), plus `extra`.
    static func claims(sub: String, expiresIn: Double = 3600, extra: JSONObject = [:]) -> JSONObject {
        var c: JSONObject = [
            "sub": .string(sub), "exp": .number(JSONNumber(Int(Date().timeIntervalSince1970 + expiresIn))), "aud": "quilt-mcp",
        ]
        for (k, v) in extra { c[k] = v }
        return c
    }

    /// `header.payload.signature` with an HMAC-SHA256 signature over the exact JSON given.
    static func hs256(_ claims: JSONObject, secret: String = secret, header: JSONObject = ["alg": "HS256", "typ": "JWT"]) -> String {
        let input = segment(.object(header)) + "." + segment(.object(claims))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + b64(Data(mac))
    }

    /// An unsigned token (`alg: none`, empty signature).
    static func unsigned(_ claims: JSONObject) -> String {
        segment(["alg": "none", "typ": "JWT"]) + "." + segment(.object(claims)) + "."
    }

    /// The base64url of compact JSON.
    static func segment(_ value: JSONValue) -> String { b64(Data(JSONWriter.compact(value).utf8)) }

    static func b64(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// An RSA or EC P-256 key pair that signs tokens and describes its public half as a JWK.
struct SigningKey: Sendable {
    enum Kind: Sendable { case rsa, ec }

    let kid: String
    let kind: Kind
    let keys: JWTKeyCollection
    let jwk: JSONValue

    /// A fresh key. RSA keys are 2048-bit (generation takes a moment).
    static func make(_ kind: Kind, kid: String) async throws -> SigningKey {
        let keys = JWTKeyCollection()
        switch kind {
        case .rsa:
            let privateKey = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            let primitives = try privateKey.publicKey.getKeyPrimitives()
            await keys.add(rsa: privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
            let jwk: JSONValue = [
                "kty": "RSA", "kid": .string(kid), "use": "sig",
                "n": .string(TokenMint.b64(primitives.modulus)), "e": .string(TokenMint.b64(primitives.publicExponent)),
            ]
            return SigningKey(kid: kid, kind: kind, keys: keys, jwk: jwk)
        case .ec:
            let privateKey = ES256PrivateKey()
            await keys.add(ecdsa: privateKey, kid: JWKIdentifier(string: kid))
            guard let parameters = privateKey.parameters else { throw CocoaError(.featureUnsupported) }
            let jwk: JSONValue = [
                "kty": "EC", "crv": "P-256", "kid": .string(kid), "x": .string(parameters.x), "y": .string(parameters.y),
            ]
            return SigningKey(kid: kid, kind: kind, keys: keys, jwk: jwk)
        }
    }

    /// A token over `claims`, signed by this key with its algorithm and `kid` in the header.
    func sign(_ claims: JSONObject) async throws -> String {
        try await keys.sign(AnyClaims(claims), kid: JWKIdentifier(string: kid))
    }
}

/// Claims as an exact JSON object, encoded member by member for jwt-kit.
struct AnyClaims: JWTPayload {
    let claims: JSONObject

    init(_ claims: JSONObject) { self.claims = claims }

    init(from decoder: any Decoder) throws { claims = [:] }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in claims {
            let key = Key(name)
            switch value {
            case .string(let s): try container.encode(s, forKey: key)
            case .number(let n):
                if let i = n.int64Value { try container.encode(i, forKey: key) } else { try container.encode(n.doubleValue, forKey: key) }
            case .bool(let b): try container.encode(b, forKey: key)
            case .array(let items): try container.encode(items.compactMap(\.stringValue), forKey: key)
            default: try container.encodeNil(forKey: key)
            }
        }
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
