import QuiltContract

/// Resolves the deployment mode from command-line flags and an environment snapshot. Pure: it reads nothing but
/// its arguments, except the token file when one is configured and will be used.
package enum ModeResolver {
    /// Parses the mode flags out of `arguments` (see ``ModeFlags/parse(_:)``) and resolves the mode.
    /// - Returns: the mode and the arguments that are not mode flags, in order.
    /// - Throws: ``ModeError`` with every flag problem, or else every configuration problem.
    package static func resolve(
        arguments: [String], environment: [String: String]
    ) throws(ModeError) -> (mode: Mode, remaining: [String]) {
        let (flags, remaining) = try ModeFlags.parse(arguments)
        return (try resolve(flags: flags, environment: environment), remaining)
    }

    /// Resolves the mode. Precedence, in strict tiers: `flags`, then `QUILT_MCP_*` variables, then the Python
    /// server's variables (each with one deprecation warning), then defaults (the `local` preset). Within a tier a
    /// per-dimension setting beats that tier's preset. Empty variables count as unset.
    ///
    /// Reads the token file (`--jwt-token-file`, `QUILT_MCP_JWT_TOKEN_FILE`) only when the token will be used
    /// (auth=jwt or api=platform).
    ///
    /// Reads the HS256 secret file (`--jwt-secret-file`, `QUILT_MCP_JWT_SECRET_FILE`) only when it will be used
    /// (auth=jwt and no JWKS URL), and the request-state key file whenever one is named.
    ///
    /// - Throws: ``ModeError`` listing every malformed value (`invalid-value`, `token-file`, `token-conflict`,
    ///   `secret-file`, `secret-conflict`, `secret-weak`,
    ///   `state-key-file`, `state-key-conflict`, `state-key-weak`) and every violated rule R1–R10, R13–R18; its messages
    ///   name the flags/variables as the user set them.
    package static func resolve(flags: ModeFlags, environment: [String: String]) throws(ModeError) -> Mode {
        let legacy = LegacyLayer(environment)
        let tiers = [Layer.flags(flags), Layer.quiltMCPVariables(environment), legacy.layer]
        var resolution = SettingResolution(tiers: tiers, failed: legacy.failed)
        var violations = resolution.violations + legacy.violations
        var warnings = legacy.warnings

        let state = resolution.choice(.state, as: Mode.State.self)
        let api = resolution.choice(.api, as: Mode.API.self)
        let auth = resolution.choice(.auth, as: Mode.Auth.self)

        // Derived: quilt3's data directory and local registry, never in stateless state.
        let dataDirectory = state == .persistent ? Quilt3Paths.dataDirectory(environment: environment) : nil
        let localRegistry = dataDirectory.flatMap(Quilt3Paths.localRegistry(dataDirectory:))
        if resolution[.registry].value == nil, !resolution.failed.contains(.registry),
            api == .registry, state == .persistent, let localRegistry
        {
            resolution.settings[.registry] = ResolvedSetting(
                value: .registry(localRegistry),
                source: .derived("quilt3's local registry for api=registry, state=persistent"), userText: "")
        }

        // The token: recorded always, read only when used.
        var tokens = SecretResolution(.token, flagPath: flags.jwtTokenFile, environment: environment)
        var token: String?
        if let source = tokens.source {
            if auth == .jwt || api == .platform {
                token = tokens.read(environment: environment)
            } else {
                let facts = ModeValidation(resolution: resolution, hasTokenSource: true, dataDirectory: dataDirectory)
                warnings.append("warning: \(source) is ignored: \(facts.phrase(.auth)) and \(facts.phrase(.api)) "
                    + "use no bearer token; remove it, or use \(facts.suggest(.auth, "jwt"))")
            }
        }
        violations += tokens.violations

        // Local verification of bearer tokens: read the secret only when it will be used.
        let verifying = VerificationResolution(
            flags: flags, environment: environment, resolution: resolution,
            facts: ModeValidation(resolution: resolution, hasTokenSource: tokens.source != nil, dataDirectory: dataDirectory))
        violations += verifying.violations
        warnings += verifying.warnings

        let stateKey = StateKeyResolution(flags: flags, environment: environment, resolution: resolution,
            hasSharedSecret: verifying.verification?.hs256Secret != nil)
        violations += stateKey.violations
        warnings += stateKey.warnings

        warnings += unknownVariableWarnings(environment)
        let (aws, awsWarning) = AWSEnvironment.snapshot(environment: environment, state: state)
        if let awsWarning { warnings.append(awsWarning) }

        var validation = ModeValidation(
            resolution: resolution, hasTokenSource: tokens.source != nil, dataDirectory: dataDirectory)
        validation.hasVerificationKey = verifying.verification != nil
        // A key that was configured but refused is reported by its own rule; do not also report R16.
        if !verifying.violations.isEmpty { validation.hasVerificationKey = true }
        violations += validation.violations()
        if !violations.isEmpty { throw ModeError(violations: violations) }

        var sources: [SettingName: SettingSource] = [:]
        for name in SettingName.allCases where SettingDescriptor.of(name).kind != .token {
            sources[name] = resolution[name].source
        }
        sources[.jwtToken] = tokens.source?.settingSource ?? .default
        sources[.jwtSecret] = verifying.secrets.source?.settingSource ?? .default
        sources[.requestStateKey] = stateKey.source?.settingSource ?? .default

        var registry: RegistryURL?
        if case .registry(let r)? = resolution[.registry].value { registry = r }
        var port = 8000
        if case .integer(let p)? = resolution[.port].value { port = p }
        var readOnly = false
        if case .boolean(let b)? = resolution[.readOnly].value { readOnly = b }
        func limit(_ name: SettingName, _ fallback: Int) -> Int {
            if case .integer(let n)? = resolution[name].value { return n }
            return fallback
        }
        let d = Mode.Limits.defaults
        let limits = Mode.Limits(
            requestBytes: limit(.maxRequestBytes, d.requestBytes), objectBytes: limit(.maxObjectBytes, d.objectBytes),
            requests: limit(.maxRequests, d.requests), callerRequests: limit(.maxCallerRequests, d.callerRequests),
            tenantMemoryBytes: limit(.tenantMemoryBytes, d.tenantMemoryBytes), tenants: limit(.maxTenants, d.tenants),
            idleSeconds: limit(.idleTimeout, d.idleSeconds))

        return Mode(
            preset: resolution.choice(.mode, as: Mode.Preset.self),
            api: api, auth: auth, state: state,
            locale: resolution.choice(.locale, as: Mode.Locale.self),
            transport: resolution.choice(.transport, as: Mode.Transport.self),
            registry: registry,
            catalogURL: resolution.text(.catalogURL),
            registryAPIURL: resolution.text(.registryAPIURL),
            host: resolution.text(.host) ?? "127.0.0.1",
            port: port,
            metricsPort: { if case .integer(let p)? = resolution[.metricsPort].value { return p } else { return nil } }(),
            tenancy: resolution.choice(.tenancy, as: Mode.Tenancy.self),
            logLevel: resolution.choice(.logLevel, as: Mode.LogLevel.self),
            readOnly: readOnly,
            toolsets: resolution.text(.toolsets).flatMap { text in
                let names = Set(ValueKind.items(text))
                return names.contains("all") ? nil : names
            },
            jwtTokenSource: tokens.source,
            secretToken: token.map(RedactedSecret.init(value:)),
            jwtSecretSource: verifying.secrets.source,
            jwtJWKSURL: resolution.text(.jwtJWKSURL),
            jwtIssuer: resolution.text(.jwtIssuer),
            jwtAudience: resolution.text(.jwtAudience),
            jwtVerification: verifying.verification,
            requestStateKeySource: stateKey.source,
            stateKey: stateKey.key.map(RedactedSecret.init(value:)),
            limits: limits,
            protectedResource: ProtectedResource(
                resource: resolution.text(.resourceURL),
                authorizationServers: resolution.text(.oauthAuthorizationServers).map(ValueKind.items) ?? [],
                scopes: resolution.text(.oauthScopes).map(ValueKind.items) ?? []),
            analytics: Mode.Analytics(
                workgroup: resolution.text(.athenaWorkgroup), outputLocation: resolution.text(.athenaOutputLocation),
                allowWrites: !readOnly && { if case .boolean(true)? = resolution[.athenaAllowWrites].value { true } else { false } }()),
            serverFiles: validation.serverFiles(),
            quilt3DataDirectory: dataDirectory,
            defaultLocalRegistry: localRegistry,
            aws: aws, childEnvironment: state == .stateless ? [:] : environment, warnings: warnings, sources: sources)
    }

    /// One warning per set `QUILT_MCP_*` variable that is neither a setting nor a legacy variable, sorted by name.
    static func unknownVariableWarnings(_ environment: [String: String]) -> [String] {
        let known = Set(SettingDescriptor.all.flatMap(\.variables) + LegacyVariable.all.map(\.name))
        return environment.keys
            .filter { $0.hasPrefix("QUILT_MCP_") && !known.contains($0) && environment.setValue($0) != nil }
            .sorted()
            .map { "warning: \($0) is not a quilt-mcp setting and is ignored" }
    }
}
