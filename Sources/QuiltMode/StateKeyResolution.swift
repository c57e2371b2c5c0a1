/// Resolves `request_state_key`: the key that signs the `requestState` of a consent question
/// (docs/design/consent.md). The key file is read whenever one is named, since consent is asked on every transport.
///
/// Without a key, the state is signed with a key derived from the HS256 secret when there is one, else with a key
/// made at start. A remote HTTP deployment with neither gets a warning: a retry that reaches another replica than
/// the one that asked is refused there.
struct StateKeyResolution: Sendable {
    /// The key's source (flag over variables), nil when none is given.
    let source: JWTTokenSource?
    /// The key, nil when none is given or it was refused.
    private(set) var key: String?
    private(set) var violations: [ModeError.Violation] = []
    private(set) var warnings: [String] = []

    /// The shortest key accepted, in bytes: HMAC-SHA256's output size.
    static let minimumBytes = 32

    init(flags: ModeFlags, environment: [String: String], resolution: SettingResolution, hasSharedSecret: Bool) {
        var secrets = SecretResolution(.requestStateKey, flagPath: flags.requestStateKeyFile, environment: environment)
        source = secrets.source
        violations = secrets.violations
        if let source, violations.isEmpty {
            if let key = secrets.read(environment: environment) {
                let bytes = key.utf8.count
                if bytes < Self.minimumBytes {
                    violations.append(.init(
                        rule: .weakStateKey,
                        message: "\(source): the request-state key is \(bytes) bytes; use at least \(Self.minimumBytes) "
                            + "(e.g. the output of `openssl rand -base64 48`), the same on every replica"))
                } else {
                    self.key = key
                }
            } else {
                violations += secrets.violations
            }
        }
        let remoteHTTP = resolution.choice(.locale, as: Mode.Locale.self) == .remote
            && resolution.choice(.transport, as: Mode.Transport.self) == .http
        if source == nil, !hasSharedSecret, remoteHTTP {
            warnings.append("warning: no request-state key: a consent question is answerable only on the replica that "
                + "asked it, so behind a load balancer a confirmed delete may be refused; set "
                + "QUILT_MCP_REQUEST_STATE_KEY_FILE (or --request-state-key-file) to the same 32+ byte key on every replica")
        }
    }
}
