/// Resolves local bearer-token verification: the key (an HS256 secret or a JWKS URL), the `iss`/`aud` checks,
/// and rules R12 (warning), R13, R14, R18 and the secret's own checks. The secret file is read only when it will be
/// used (auth=jwt and no conflicting key).
struct VerificationResolution: Sendable {
    /// The HS256 secret's source (flag over variables).
    var secrets: SecretResolution
    /// The verification in effect, nil when off or ignored.
    var verification: JWTVerification?
    var violations: [ModeError.Violation] = []
    var warnings: [String] = []

    /// The shortest HS256 secret accepted, in bytes (RFC 7518 §3.2).
    static let minimumSecretBytes = 32

    init(flags: ModeFlags, environment: [String: String], resolution: SettingResolution, facts: ModeValidation) {
        secrets = SecretResolution(.hs256Secret, flagPath: flags.jwtSecretFile, environment: environment)
        violations = secrets.violations
        let auth = resolution.choice(.auth, as: Mode.Auth.self)
        let jwks = resolution.text(.jwtJWKSURL)
        let issuer = resolution.text(.jwtIssuer)
        let audience = resolution.text(.jwtAudience)
        let claimSettings = [resolution[.jwtIssuer], resolution[.jwtAudience]].filter { $0.value != nil }
        let checked: Set<SettingName> = [.jwtJWKSURL, .jwtIssuer, .jwtAudience, .auth]
        guard resolution.failed.isDisjoint(with: checked), secrets.violations.isEmpty else { return }

        let keys = [secrets.source?.description, jwks.map { _ in resolution[.jwtJWKSURL].userText }].compactMap { $0 }
        if keys.isEmpty {
            if !claimSettings.isEmpty {
                let named = claimSettings.map(\.userText).joined(separator: " and ")
                violations.append(.init(
                    rule: .claimChecksWithoutKey,
                    message: "\(named) needs a verification key: without one the claims of a token cannot be trusted; "
                        + "set QUILT_MCP_JWT_SECRET_FILE (HS256) or QUILT_MCP_JWT_JWKS_URL (RS256/ES256), or remove it"))
            }
            return
        }
        guard auth == .jwt else {
            let named = (keys + claimSettings.map(\.userText)).joined(separator: ", ")
            warnings.append("warning: \(named) is ignored: \(facts.phrase(.auth)) takes no bearer tokens to verify; "
                + "remove it, or use \(facts.suggest(.auth, "jwt"))")
            return
        }
        if let source = secrets.source, jwks != nil {
            violations.append(.init(
                rule: .conflictingVerificationKeys,
                message: "\(source) and \(resolution[.jwtJWKSURL].userText) are both set: tokens are verified with "
                    + "one kind of key; keep the HS256 secret or the JWKS URL"))
            return
        }
        if let source = secrets.source {
            guard let secret = secrets.read(environment: environment) else {
                violations += secrets.violations
                return
            }
            let bytes = secret.utf8.count
            guard bytes >= Self.minimumSecretBytes else {
                violations.append(.init(
                    rule: .weakSecret,
                    message: "\(source): the HS256 secret is \(bytes) bytes; use at least \(Self.minimumSecretBytes) "
                        + "(e.g. the output of `openssl rand -base64 48`)"))
                return
            }
            verification = JWTVerification(key: .hs256(source: source), secret: secret, issuer: issuer, audience: audience)
        } else if let jwks {
            // A JWKS usually belongs to an identity provider that mints tokens for many services: without an
            // audience check, a token minted for any of them would be served here.
            guard audience != nil else {
                violations.append(.init(
                    rule: .jwksWithoutAudience,
                    message: "\(resolution[.jwtJWKSURL].userText) needs jwt_audience: the keys of a JWKS also sign "
                        + "tokens meant for other services, and without an audience check those would be accepted here; "
                        + "set QUILT_MCP_JWT_AUDIENCE (or --jwt-audience) to the value this server's tokens carry in aud"))
                return
            }
            if issuer == nil {
                warnings.append("warning: \(resolution[.jwtJWKSURL].userText) is used without jwt_issuer: any issuer "
                    + "whose keys this JWKS holds is trusted; set QUILT_MCP_JWT_ISSUER (or --jwt-issuer) to pin it")
            }
            verification = JWTVerification(key: .jwks(url: jwks), issuer: issuer, audience: audience)
        }
    }
}
