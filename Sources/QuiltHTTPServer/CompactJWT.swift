import FoundationEssentials
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
    /// The bytes of `text`; nil when it holds characters outside the base64url alphabet (padding included) or has an
    /// impossible length. Decoded a byte at a time, as every request's token is (no Foundation string work).
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in utf8 {
            guard let value = sextet(byte) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// The value of one base64url character.
    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// `bytes` as base64url without padding.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }
}
