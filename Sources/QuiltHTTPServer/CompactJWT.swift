import Foundation
import QuiltJSON

/// A JWS in compact serialization (`header.payload.signature`), split and decoded but not verified.
struct CompactJWT: Sendable {
    /// The decoded header object.
    let header: JSONObject
    /// The decoded payload object (the claims).
    let claims: JSONObject

    /// Splits and decodes `token`.
    /// - Throws: ``AuthFailure`` `invalid_token` when it is not three base64url segments whose first two are JSON
    ///   objects.
    init(_ token: String) throws(AuthFailure) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw AuthFailure(.invalidToken, "the bearer token is not a JWT (header.payload.signature)")
        }
        guard let headerBytes = Base64URL.decode(parts[0]), case .object(let header)? = try? JSONParser.parse(headerBytes)
        else { throw AuthFailure(.invalidToken, "the JWT header is not base64url-encoded JSON") }
        guard let payloadBytes = Base64URL.decode(parts[1]), case .object(let claims)? = try? JSONParser.parse(payloadBytes)
        else { throw AuthFailure(.invalidToken, "the JWT payload is not base64url-encoded JSON") }
        self.header = header
        self.claims = claims
    }

    /// The header's `alg`, nil when absent or not a string.
    var algorithm: String? { header["alg"]?.stringValue }
    /// The header's `kid`, nil when absent or not a string.
    var keyID: String? { header["kid"]?.stringValue }
}

/// base64url without padding (RFC 7515 §2).
enum Base64URL {
    /// The bytes of `text`; nil when it holds characters outside the base64url alphabet or has an impossible length.
    static func decode(_ text: some StringProtocol) -> Data? {
        var s = String(text).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if s.contains("=") { return nil }
        switch s.utf8.count % 4 {
        case 0: break
        case 2: s += "=="
        case 3: s += "="
        default: return nil
        }
        return Data(base64Encoded: s)
    }

    /// `bytes` as base64url without padding.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
