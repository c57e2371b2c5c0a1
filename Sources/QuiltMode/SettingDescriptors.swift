extension SettingDescriptor {
    /// Every setting, in ``SettingName`` order.
    package static let all: [SettingDescriptor] = [
        choice(.mode, Mode.Preset.self, local: "local", remote: "remote", preset: false,
               "The preset: a bundle of api, auth, state, locale, transport, tenancy and host."),
        choice(.api, Mode.API.self, local: "registry", remote: "platform", preset: true,
               "Which API answers Quilt operations: the quilt3 registry layout directly, or the catalog."),
        choice(.auth, Mode.Auth.self, local: "session", remote: "jwt", preset: true,
               "quilt3 login session, AWS credentials (iam), or a catalog bearer token (jwt)."),
        choice(.state, Mode.State.self, local: "persistent", remote: "stateless", preset: true,
               "Whether the server may use the filesystem (stateless never opens files under HOME)."),
        choice(.locale, Mode.Locale.self, local: "local", remote: "remote", preset: true,
               "A developer machine, or a deployed service."),
        choice(.transport, Mode.Transport.self, local: "stdio", remote: "http", preset: true,
               "stdio (one client per process) or streamable HTTP at /mcp."),
        SettingDescriptor(
            name: .registry, flag: "--registry", variables: ["QUILT_MCP_REGISTRY"],
            values: "`s3://bucket` (or `bucket`) \\| `file:///path` \\| `memory://name`",
            localDefault: "quilt3's local registry (`$XDG_DATA_HOME/Quilt/packages`, else `~/.local/share/Quilt/packages`; on macOS `~/Library/Application Support/Quilt/packages`) when api=registry and state=persistent",
            remoteDefault: "none", presetControlled: false,
            summary: "The default package registry for tools.",
            kind: .registry, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .catalogURL, flag: "--catalog-url", variables: ["QUILT_MCP_CATALOG_URL"],
            values: "http(s) URL", localDefault: "none", remoteDefault: "none", presetControlled: false,
            summary: "The catalog's web URL; its config.json names the API.",
            kind: .httpURL, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .registryAPIURL, flag: "--registry-api-url", variables: ["QUILT_MCP_REGISTRY_API_URL"],
            values: "http(s) URL", localDefault: "discovered from `<catalog_url>/config.json`",
            remoteDefault: "discovered from `<catalog_url>/config.json`", presetControlled: false,
            summary: "The catalog API base URL; overrides discovery.",
            kind: .httpURL, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .host, flag: "--host", variables: ["QUILT_MCP_HOST"], values: "host name or IP address",
            localDefault: "`127.0.0.1`", remoteDefault: "`0.0.0.0`", presetControlled: true,
            summary: "The address the HTTP transport binds.",
            kind: .host, localValue: "127.0.0.1", remoteValue: "0.0.0.0"),
        SettingDescriptor(
            name: .port, flag: "--port", variables: ["QUILT_MCP_PORT"], values: "1–65535",
            localDefault: "`8000`", remoteDefault: "`8000`", presetControlled: false,
            summary: "The port the HTTP transport binds.",
            kind: .port, localValue: "8000", remoteValue: "8000"),
        choice(.tenancy, Mode.Tenancy.self, local: "single", remote: "multi", preset: true,
               "One tenant per process, or many (tenant from verified token claims)."),
        choice(.logLevel, Mode.LogLevel.self, local: "warning", remote: "warning", preset: false,
               "The least severe message logged to standard error."),
        SettingDescriptor(
            name: .readOnly, flag: "--read-only", variables: ["QUILT_MCP_READ_ONLY"],
            values: "`true` \\| `false` (also 1/0, yes/no, on/off; the flag alone means true)",
            localDefault: "`false`", remoteDefault: "`false`", presetControlled: false,
            summary: "Offer no tool that writes (tools/list leaves them out; a call to one is refused naming this setting).",
            kind: .boolean, localValue: "false", remoteValue: "false"),
        SettingDescriptor(
            name: .toolsets, flag: "--toolsets", variables: ["QUILT_MCP_TOOLSETS"],
            values: Mode.toolsetNames.map { "`\($0)`" }.joined(separator: ", ") + ", `all` (comma-separated)",
            localDefault: "`\(Mode.defaultToolsets.joined(separator: ","))`",
            remoteDefault: "`\(Mode.defaultToolsets.joined(separator: ","))`", presetControlled: false,
            summary: "The tool groups the MCP server offers (tools/list) and runs; the command line's call runs every tool.",
            kind: .choiceList(Mode.toolsetNames + ["all"]), localValue: Mode.defaultToolsets.joined(separator: ","),
            remoteValue: Mode.defaultToolsets.joined(separator: ",")),
        SettingDescriptor(
            name: .jwtToken, flag: "--jwt-token-file", variables: ["QUILT_MCP_JWT_TOKEN", "QUILT_MCP_JWT_TOKEN_FILE"],
            values: "bearer token (`QUILT_MCP_JWT_TOKEN`) or token file path", localDefault: "none",
            remoteDefault: "none (per-request `Authorization: Bearer`)", presetControlled: false,
            summary: "The bearer token for stdio with auth=jwt or api=platform; never printed.",
            kind: .token, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .jwtSecret, flag: "--jwt-secret-file", variables: ["QUILT_MCP_JWT_SECRET", "QUILT_MCP_JWT_SECRET_FILE"],
            values: "HS256 secret, ≥ 32 bytes (`QUILT_MCP_JWT_SECRET`) or secret file path", localDefault: "none",
            remoteDefault: "none", presetControlled: false,
            summary: "Verify bearer tokens locally with this HS256 secret (auth=jwt); never printed.",
            kind: .token, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .requestStateKey, flag: "--request-state-key-file",
            variables: ["QUILT_MCP_REQUEST_STATE_KEY", "QUILT_MCP_REQUEST_STATE_KEY_FILE"],
            values: "key, ≥ 32 bytes (`QUILT_MCP_REQUEST_STATE_KEY`) or key file path",
            localDefault: "derived from `jwt_secret`, else random per process",
            remoteDefault: "derived from `jwt_secret`, else random per process", presetControlled: false,
            summary: "Signs the requestState of consent questions; the same key on every replica lets any of them "
                + "take the answer. Never printed.",
            kind: .token, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .jwtJWKSURL, flag: "--jwt-jwks-url", variables: ["QUILT_MCP_JWT_JWKS_URL"],
            values: "http(s) URL of a JWKS (RS256 / ES256 keys)", localDefault: "none", remoteDefault: "none",
            presetControlled: false,
            summary: "Verify bearer tokens locally with the RS256/ES256 keys of this JWKS (auth=jwt).",
            kind: .httpURL, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .jwtIssuer, flag: "--jwt-issuer", variables: ["QUILT_MCP_JWT_ISSUER"],
            values: "the exact `iss` claim", localDefault: "none (not checked)", remoteDefault: "none (not checked)",
            presetControlled: false,
            summary: "With local verification: the iss claim every token must carry.",
            kind: .text, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .jwtAudience, flag: "--jwt-audience", variables: ["QUILT_MCP_JWT_AUDIENCE"],
            values: "a value the `aud` claim must name", localDefault: "none (not checked)",
            remoteDefault: "none (not checked)", presetControlled: false,
            summary: "With local verification: a value the aud claim of every token must name.",
            kind: .text, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .resourceURL, flag: "--resource-url", variables: ["QUILT_MCP_RESOURCE_URL"],
            values: "the https URL clients use for /mcp", localDefault: "none (taken from the request's Host)",
            remoteDefault: "none (taken from the request's Host)", presetControlled: false,
            summary: "The resource tokens are issued for (RFC 9728 metadata; set jwt_audience to it so tokens for other services are refused).",
            kind: .httpURL, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .oauthAuthorizationServers, flag: "--oauth-authorization-servers",
            variables: ["QUILT_MCP_OAUTH_AUTHORIZATION_SERVERS"], values: "comma-separated issuer URLs",
            localDefault: "none", remoteDefault: "none", presetControlled: false,
            summary: "The OAuth authorization servers listed in /.well-known/oauth-protected-resource (auth=jwt over HTTP).",
            kind: .httpURLList, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .oauthScopes, flag: "--oauth-scopes", variables: ["QUILT_MCP_OAUTH_SCOPES"],
            values: "comma-separated scopes", localDefault: "none (no scope checked)", remoteDefault: "none (no scope checked)",
            presetControlled: false,
            summary: "Scopes every token needs for /mcp (scope or scp claim; 403 insufficient_scope otherwise), advertised in the metadata and every 401.",
            kind: .wordList, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .athenaWorkgroup, flag: "--athena-workgroup", variables: ["QUILT_MCP_ATHENA_WORKGROUP"],
            values: "workgroup name", localDefault: "discovered", remoteDefault: "discovered", presetControlled: false,
            summary: "The Athena workgroup for statements that name none; unset: an enabled one with an output location, Quilt's first, then primary.",
            kind: .text, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .athenaOutputLocation, flag: "--athena-output-location", variables: ["QUILT_MCP_ATHENA_OUTPUT_LOCATION"],
            values: "`s3://bucket/prefix/`", localDefault: "the workgroup's", remoteDefault: "the workgroup's", presetControlled: false,
            summary: "Where Athena writes results when the workgroup configures no location.",
            kind: .text, localValue: nil, remoteValue: nil),
        SettingDescriptor(
            name: .athenaAllowWrites, flag: "--athena-allow-writes", variables: ["QUILT_MCP_ATHENA_ALLOW_WRITES"],
            values: "`true` \\| `false`", localDefault: "`false`", remoteDefault: "`false`", presetControlled: false,
            summary: "Let Athena statements other than reads run (CREATE, INSERT, UNLOAD, …); with read_only they never do.",
            kind: .boolean, localValue: "false", remoteValue: "false"),
        limit(.maxRequestBytes, .byteSize, "16MiB",
              "The largest HTTP request body accepted; a larger one is answered 413."),
        limit(.maxObjectBytes, .byteSize, "64MiB",
              "The largest object read whole into memory (pointers, configs, S3 and catalog response bodies); a larger one is too_large."),
        limit(.maxRequests, .count, "256",
              "The most /mcp requests served at once by this process; past it 503 with Retry-After."),
        limit(.maxCallerRequests, .count, "32",
              "The most /mcp requests one caller (tenant or token) has in flight; past it 429 with Retry-After."),
        limit(.tenantMemoryBytes, .byteSize, "64MiB",
              "The bytes one caller's memory:// registries may hold together (the whole process's without tenancy=multi)."),
        limit(.maxTenants, .count, "1024",
              "The most tenants whose memory:// registries are kept; the least recently used is forgotten past it."),
        limit(.idleTimeout, .count, "75",
              "Seconds an HTTP connection may send nothing (between requests, or mid-body) before it is closed; keep it above the load balancer's upstream keep-alive timeout.",
              values: "seconds, 1–1000000"),
        SettingDescriptor(
            name: .metricsPort, flag: "--metrics-port", variables: ["QUILT_MCP_METRICS_PORT"], values: "1–65535",
            localDefault: "none (no metrics)", remoteDefault: "none (no metrics)", presetControlled: false,
            summary: "Serve Prometheus metrics at GET /metrics on this port (same host), apart from /mcp.",
            kind: .port, localValue: nil, remoteValue: nil),
    ]

    /// A resource bound: the same default in both presets, set by `--<name>` and `QUILT_MCP_<NAME>`.
    private static func limit(
        _ name: SettingName, _ kind: ValueKind, _ value: String, _ summary: String, values: String? = nil
    ) -> SettingDescriptor {
        SettingDescriptor(
            name: name, flag: "--" + name.rawValue.replacingUnderscores(with: "-"),
            variables: ["QUILT_MCP_" + name.rawValue.uppercased()],
            values: values ?? (kind == .byteSize ? "bytes, e.g. `16MiB`, `512K`, `1048576`" : "1–1000000"),
            localDefault: "`\(value)`", remoteDefault: "`\(value)`", presetControlled: false, summary: summary,
            kind: kind, localValue: value, remoteValue: value)
    }

    /// A closed-choice setting whose flag is `--<name with dashes>` and variable `QUILT_MCP_<NAME>`.
    private static func choice<E: RawRepresentable & CaseIterable>(
        _ name: SettingName, _ type: E.Type, local: String, remote: String, preset: Bool, _ summary: String
    ) -> SettingDescriptor where E.RawValue == String {
        let words = type.allCases.map(\.rawValue)
        return SettingDescriptor(
            name: name, flag: "--" + name.rawValue.replacingUnderscores(with: "-"),
            variables: ["QUILT_MCP_" + name.rawValue.uppercased()],
            values: words.map { "`\($0)`" }.joined(separator: " \\| "),
            localDefault: "`\(local)`", remoteDefault: "`\(remote)`", presetControlled: preset, summary: summary,
            kind: .choice(words), localValue: local, remoteValue: remote)
    }
}

extension String {
    func replacingUnderscores(with replacement: String) -> String {
        split(separator: "_", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
