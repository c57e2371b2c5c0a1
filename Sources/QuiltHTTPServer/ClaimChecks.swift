import FoundationEssentials
import QuiltJSON
import QuiltMode

/// The registered-claim checks of a verified token: `exp` (required), `nbf`, `iss` and `aud`, with leeway.
struct ClaimChecks: Sendable {
    /// The `iss` required, nil = not checked.
    let issuer: String?
    /// A value `aud` must name, nil = not checked.
    let audience: String?
    /// Seconds of clock skew tolerated for `exp` and `nbf`.
    let leeway: Double

    init(_ verification: JWTVerification) {
        issuer = verification.issuer
        audience = verification.audience
        leeway = Double(verification.leewaySeconds)
    }

    init(issuer: String?, audience: String?, leeway: Double) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// Checks `claims` at `now` (seconds since 1970).
    /// - Throws: ``AuthFailure`` `invalid_token` naming the failed claim.
    func check(_ claims: JSONObject, now: Double) throws(AuthFailure) {
        guard let expValue = claims["exp"] else { throw AuthFailure(.invalidToken, "the token has no exp claim") }
        guard let exp = expValue.numberValue?.doubleValue, exp.isFinite else {
            throw AuthFailure(.invalidToken, "the token's exp claim is not a number")
        }
        if now > exp + leeway { throw AuthFailure(.invalidToken, "the token expired at \(Self.iso(exp))") }
        if let nbfValue = claims["nbf"] {
            guard let nbf = nbfValue.numberValue?.doubleValue, nbf.isFinite else {
                throw AuthFailure(.invalidToken, "the token's nbf claim is not a number")
            }
            if now + leeway < nbf { throw AuthFailure(.invalidToken, "the token is not valid before \(Self.iso(nbf))") }
        }
        if let issuer {
            guard claims["iss"]?.stringValue == issuer else {
                throw AuthFailure(.invalidToken, "the token's iss claim is not \(issuer)")
            }
        }
        if let audience {
            let named: [String]
            switch claims["aud"] {
            case .string(let one)?: named = [one]
            case .array(let many)?: named = many.compactMap(\.stringValue)
            default: named = []
            }
            guard named.contains(audience) else {
                throw AuthFailure(.invalidToken, "the token's aud claim does not name \(audience)")
            }
        }
    }

    private static func iso(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
    }
}
