import QuiltContract

/// Rules R1–R10 and R15–R17 over resolved settings. Each message names the settings as the user set them and a valid
/// alternative. Rules involving a setting whose value was malformed are not checked (that value is reported).
struct ModeValidation: Sendable {
    let resolution: SettingResolution
    let hasTokenSource: Bool
    let dataDirectory: String?
    /// True when bearer tokens are verified here (an HS256 secret or a JWKS URL is configured and usable).
    var hasVerificationKey = false

    /// Every violated rule, in rule order.
    func violations() -> [ModeError.Violation] {
        let api = resolution.choice(.api, as: Mode.API.self)
        let auth = resolution.choice(.auth, as: Mode.Auth.self)
        let state = resolution.choice(.state, as: Mode.State.self)
        let locale = resolution.choice(.locale, as: Mode.Locale.self)
        let transport = resolution.choice(.transport, as: Mode.Transport.self)
        let tenancy = resolution.choice(.tenancy, as: Mode.Tenancy.self)
        var registryKind: String?
        if case .registry(let r)? = resolution[.registry].value { registryKind = r.kind.rawValue }
        let hasCatalog = resolution[.catalogURL].value != nil || resolution[.registryAPIURL].value != nil

        var found: [ModeError.Violation] = []
        func check(_ rule: ModeRule, _ involved: [SettingName], _ violated: Bool, _ message: @autoclosure () -> String) {
            guard violated, resolution.failed.isDisjoint(with: involved) else { return }
            found.append(.init(rule: rule, message: message()))
        }
        let catalog = "\(suggest(.catalogURL, "https://your-catalog"))"

        check(.statelessSession, [.state, .auth], state == .stateless && auth == .session,
              "\(phrase(.state)) cannot use \(phrase(.auth)): quilt3's login session lives in files under HOME, "
              + "which a stateless server never opens; use \(suggest(.auth, "jwt")) (a catalog bearer token) "
              + "or \(suggest(.auth, "iam")) (AWS credentials)")
        check(.platformWithoutCatalog, [.api, .catalogURL, .registryAPIURL], api == .platform && !hasCatalog,
              "\(phrase(.api)) needs the catalog, but neither catalog_url nor registry_api_url is set; set \(catalog)")
        check(.platformWithIAM, [.api, .auth], api == .platform && auth == .iam,
              "\(phrase(.api)) cannot use \(phrase(.auth)): the catalog API needs a bearer token, not AWS "
              + "credentials; use \(suggest(.auth, "jwt")) or \(suggest(.auth, "session"))")
        check(.stdioJWTWithoutToken, [.auth, .transport], auth == .jwt && transport == .stdio && !hasTokenSource,
              "\(phrase(.auth)) over \(phrase(.transport)) needs a token source: stdio has no per-request "
              + "Authorization header; set QUILT_MCP_JWT_TOKEN, QUILT_MCP_JWT_TOKEN_FILE or --jwt-token-file, "
              + "or use \(suggest(.transport, "http"))")
        check(.multiTenantWithoutJWT, [.tenancy, .auth], tenancy == .multi && auth != .jwt,
              "\(phrase(.tenancy)) needs auth=jwt, but \(phrase(.auth)): the tenant comes only from verified "
              + "token claims; use \(suggest(.auth, "jwt")) or \(suggest(.tenancy, "single"))")
        check(.multiTenantOverStdio, [.tenancy, .transport], tenancy == .multi && transport == .stdio,
              "\(phrase(.tenancy)) cannot run over \(phrase(.transport)): a stdio server has exactly one client "
              + "per process; use \(suggest(.transport, "http")) or \(suggest(.tenancy, "single"))")
        check(.remoteOverStdio, [.locale, .transport], locale == .remote && transport == .stdio,
              "\(phrase(.locale)) cannot run over \(phrase(.transport)): remote deployments serve HTTP; "
              + "use \(suggest(.transport, "http")) or \(suggest(.locale, "local"))")
        check(.statelessFileRegistry, [.state, .registry], state == .stateless && registryKind == "file",
              "\(phrase(.state)) cannot use \(phrase(.registry)): a stateless server writes nothing to disk; "
              + "use an s3:// or memory:// registry, e.g. \(suggest(.registry, "s3://bucket"))")
        check(.registryAPIWithoutRegistry, [.api, .registry, .state], api == .registry && registryKind == nil,
              "\(phrase(.api)) has no registry: \(missingRegistryReason(state)); "
              + "set \(suggest(.registry, "s3://bucket"))")
        check(.remotePersistent, [.locale, .state], locale == .remote && state == .persistent,
              "\(phrase(.locale)) cannot use \(phrase(.state)): persistent state means reading and writing the "
              + "server's filesystem, which a remote server's callers must never reach; use \(suggest(.state, "stateless"))")
        check(.unverifiedLocalRegistry, [.api, .auth, .transport, .registry, .jwtSecret, .jwtJWKSURL],
              api == .registry && auth == .jwt && transport == .http && !hasVerificationKey
                  && (registryKind == "memory" || registryKind == "file"),
              "\(phrase(.api)) with \(phrase(.auth)) over \(phrase(.transport)) and \(phrase(.registry)) needs a "
              + "verification key: no catalog checks tokens for a \(registryKind ?? "") registry, so any token, even "
              + "an unsigned one, would be served; set QUILT_MCP_JWT_SECRET_FILE (HS256) or QUILT_MCP_JWT_JWKS_URL")
        let files = serverFiles()
        check(.fileRegistryOutOfReach, [.api, .registry, .locale, .tenancy, .state, .transport, .auth],
              api == .registry && registryKind == "file" && state == .persistent && !files.isAllowed,
              "\(phrase(.registry)) is out of reach: \(files.forbiddenBy ?? "") keep callers away from the server's "
              + "files; use an s3:// or memory:// registry, e.g. \(suggest(.registry, "s3://bucket"))")
        var port = 8000
        if case .integer(let p)? = resolution[.port].value { port = p }
        var metricsPort: Int?
        if case .integer(let p)? = resolution[.metricsPort].value { metricsPort = p }
        check(.metricsOnServerPort, [.port, .metricsPort], metricsPort == port,
              "\(phrase(.metricsPort)) is the port of /mcp (\(phrase(.port))): metrics are served on their own listener, "
              + "so they are never routed to callers; choose another, e.g. \(suggest(.metricsPort, "9464"))")
        let oauthSettings: [SettingName] = [.resourceURL, .oauthAuthorizationServers, .oauthScopes]
        let oauthSet = oauthSettings.filter { resolution[$0].value != nil }
        check(.protectedResourceWithoutJWT, [.auth, .transport] + oauthSet,
              !oauthSet.isEmpty && !(auth == .jwt && transport == .http),
              "\(oauthSet.map(phrase).joined(separator: ", ")) describe\(oauthSet.count == 1 ? "s" : "") bearer tokens, but "
              + "\(phrase(.auth)) over \(phrase(.transport)) asks for none; use \(suggest(.auth, "jwt")) with "
              + "\(suggest(.transport, "http")), or unset \(oauthSet.count == 1 ? "it" : "them")")
        check(.scopesWithoutKey, [.oauthScopes, .jwtSecret, .jwtJWKSURL], resolution[.oauthScopes].value != nil && !hasVerificationKey,
              "\(phrase(.oauthScopes)) needs a verification key: the scopes of a token that is not verified here could "
              + "be forged; set QUILT_MCP_JWT_SECRET_FILE (HS256) or QUILT_MCP_JWT_JWKS_URL")
        check(.jwtS3WithoutCatalog, [.api, .auth, .registry, .catalogURL, .registryAPIURL],
              api == .registry && auth == .jwt && registryKind == "s3" && !hasCatalog,
              "\(phrase(.api)) with \(phrase(.auth)) and \(phrase(.registry)) needs the catalog: the bearer token "
              + "is exchanged for AWS credentials there; set \(catalog) "
              + "or \(suggest(.registryAPIURL, "https://your-catalog-api"))")
        return found
    }

    /// Whether callers may reach the server's filesystem: only a local, single-tenant, persistent deployment that
    /// takes no bearer tokens over HTTP lets them. Otherwise names every setting that forbids it.
    func serverFiles() -> ServerFileAccess {
        let auth = resolution.choice(.auth, as: Mode.Auth.self)
        let state = resolution.choice(.state, as: Mode.State.self)
        let locale = resolution.choice(.locale, as: Mode.Locale.self)
        let transport = resolution.choice(.transport, as: Mode.Transport.self)
        let tenancy = resolution.choice(.tenancy, as: Mode.Tenancy.self)
        var reasons: [String] = []
        if locale == .remote { reasons.append(phrase(.locale)) }
        if tenancy == .multi { reasons.append(phrase(.tenancy)) }
        if state == .stateless { reasons.append(phrase(.state)) }
        if transport == .http && auth == .jwt { reasons.append("\(phrase(.transport)) with \(phrase(.auth))") }
        return reasons.isEmpty ? .allowed : .forbidden(by: reasons.joined(separator: " and "))
    }

    private func missingRegistryReason(_ state: Mode.State) -> String {
        if state == .stateless { return "\(phrase(.state)) has no default local registry" }
        if dataDirectory == nil { return "neither XDG_DATA_HOME nor HOME is set, so quilt3's local registry is unknown" }
        return "none is configured"
    }

    /// The setting as the user set it: `--auth session`, `QUILT_MCP_AUTH=session`,
    /// `state=stateless (from QUILT_MCP_STATELESS_MODE=true)`, `auth=jwt (from preset remote, QUILT_MCP_MODE=remote)`,
    /// `auth=session (default)`.
    func phrase(_ name: SettingName) -> String {
        let r = resolution[name]
        let value = "\(name.rawValue)=\(r.value?.text ?? "none")"
        switch r.source {
        case .flag, .environment: return r.userText
        case .legacy: return "\(value) (from \(r.userText))"
        case .preset(let preset, _): return "\(value) (from preset \(preset), \(r.userText))"
        case .default: return "\(value) (default)"
        case .derived(let why): return "\(value) (\(why))"
        }
    }

    /// How to set `name` to `value`, in the user's style: as a flag (`--auth jwt`) when they set this setting with
    /// a flag, or left it unset while configuring with flags; otherwise as a variable (`QUILT_MCP_AUTH=jwt`).
    func suggest(_ name: SettingName, _ value: String) -> String {
        let d = SettingDescriptor.of(name)
        let source = resolution[name].source
        let usesFlags: Bool
        switch source {
        case .default, .derived: usesFlags = resolution.settings.values.contains { $0.source.isFromFlags }
        default: usesFlags = source.isFromFlags
        }
        if usesFlags, let flag = d.flag { return "\(flag) \(value)" }
        return "\(d.variables[0])=\(value)"
    }
}
