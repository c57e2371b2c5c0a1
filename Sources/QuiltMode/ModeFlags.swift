package import QuiltContract

/// The mode settings given on the command line: the highest-precedence tier. Every property is nil when the
/// flag was not given.
package struct ModeFlags: Sendable, Hashable {
    /// `--mode local|remote`.
    package var preset: Mode.Preset?
    /// `--api`.
    package var api: Mode.API?
    /// `--auth`.
    package var auth: Mode.Auth?
    /// `--state`.
    package var state: Mode.State?
    /// `--locale`.
    package var locale: Mode.Locale?
    /// `--transport`.
    package var transport: Mode.Transport?
    /// `--registry`.
    package var registry: RegistryURL?
    /// `--catalog-url` (validated http(s), trailing slash trimmed by ``parse(_:)``).
    package var catalogURL: String?
    /// `--registry-api-url`.
    package var registryAPIURL: String?
    /// `--host`.
    package var host: String?
    /// `--port`.
    package var port: Int?
    /// `--tenancy`.
    package var tenancy: Mode.Tenancy?
    /// `--log-level`.
    package var logLevel: Mode.LogLevel?
    /// `--read-only` (alone: true) or `--read-only=false`.
    package var readOnly: Bool?
    /// `--jwt-token-file PATH`.
    package var jwtTokenFile: String?
    /// `--jwt-secret-file PATH` (an HS256 secret; on the command line only as a file, never as a value).
    package var jwtSecretFile: String?
    /// `--request-state-key-file PATH` (on the command line only as a file, never as a value).
    package var requestStateKeyFile: String?
    /// `--jwt-jwks-url URL`.
    package var jwtJWKSURL: String?
    /// `--jwt-issuer ISS`.
    package var jwtIssuer: String?
    /// `--jwt-audience AUD`.
    package var jwtAudience: String?
    /// The resource bounds (`--max-request-bytes`, …) and `--metrics-port` given as flags, by setting.
    package var limits: [SettingName: Int] = [:]
    /// `--toolsets`, `--resource-url`, `--oauth-authorization-servers`, `--oauth-scopes` and the Athena settings, in
    /// their canonical text.
    package var lists: [SettingName: String] = [:]

    /// Creates flags; all nil means no flags. Values are validated again by ``ModeResolver``. Never fails.
    package init(
        preset: Mode.Preset? = nil, api: Mode.API? = nil, auth: Mode.Auth? = nil, state: Mode.State? = nil,
        locale: Mode.Locale? = nil, transport: Mode.Transport? = nil, registry: RegistryURL? = nil,
        catalogURL: String? = nil, registryAPIURL: String? = nil, host: String? = nil, port: Int? = nil,
        tenancy: Mode.Tenancy? = nil, logLevel: Mode.LogLevel? = nil, readOnly: Bool? = nil,
        jwtTokenFile: String? = nil, jwtSecretFile: String? = nil, jwtJWKSURL: String? = nil, jwtIssuer: String? = nil,
        jwtAudience: String? = nil
    ) {
        self.preset = preset
        self.api = api
        self.auth = auth
        self.state = state
        self.locale = locale
        self.transport = transport
        self.registry = registry
        self.catalogURL = catalogURL
        self.registryAPIURL = registryAPIURL
        self.host = host
        self.port = port
        self.tenancy = tenancy
        self.logLevel = logLevel
        self.readOnly = readOnly
        self.jwtTokenFile = jwtTokenFile
        self.jwtSecretFile = jwtSecretFile
        self.jwtJWKSURL = jwtJWKSURL
        self.jwtIssuer = jwtIssuer
        self.jwtAudience = jwtAudience
    }

    /// The canonical text of each flag that is set, as the resolver's top tier.
    var values: [SettingName: String] {
        var v: [SettingName: String] = [:]
        v[.mode] = preset?.rawValue
        v[.api] = api?.rawValue
        v[.auth] = auth?.rawValue
        v[.state] = state?.rawValue
        v[.locale] = locale?.rawValue
        v[.transport] = transport?.rawValue
        v[.registry] = registry?.url
        v[.catalogURL] = catalogURL
        v[.registryAPIURL] = registryAPIURL
        v[.host] = host
        v[.port] = port.map(String.init)
        v[.tenancy] = tenancy?.rawValue
        v[.logLevel] = logLevel?.rawValue
        v[.readOnly] = readOnly.map { $0 ? "true" : "false" }
        v[.jwtJWKSURL] = jwtJWKSURL
        v[.jwtIssuer] = jwtIssuer
        v[.jwtAudience] = jwtAudience
        for (name, value) in limits { v[name] = String(value) }
        for (name, value) in lists { v[name] = value }
        return v
    }

    /// Sets the property of `name` from a value already parsed by its ``ValueKind``.
    mutating func set(_ name: SettingName, _ value: ParsedValue) {
        let text = value.text
        switch name {
        case .mode: preset = Mode.Preset(rawValue: text)
        case .api: api = Mode.API(rawValue: text)
        case .auth: auth = Mode.Auth(rawValue: text)
        case .state: state = Mode.State(rawValue: text)
        case .locale: locale = Mode.Locale(rawValue: text)
        case .transport: transport = Mode.Transport(rawValue: text)
        case .registry: if case .registry(let r) = value { registry = r }
        case .catalogURL: catalogURL = text
        case .registryAPIURL: registryAPIURL = text
        case .host: host = text
        case .port: if case .integer(let p) = value { port = p }
        case .tenancy: tenancy = Mode.Tenancy(rawValue: text)
        case .logLevel: logLevel = Mode.LogLevel(rawValue: text)
        case .readOnly: if case .boolean(let b) = value { readOnly = b }
        case .jwtToken: jwtTokenFile = text
        case .jwtSecret: jwtSecretFile = text
        case .requestStateKey: requestStateKeyFile = text
        case .jwtJWKSURL: jwtJWKSURL = text
        case .jwtIssuer: jwtIssuer = text
        case .jwtAudience: jwtAudience = text
        case .maxRequestBytes, .maxObjectBytes, .maxRequests, .maxCallerRequests, .tenantMemoryBytes, .maxTenants, .idleTimeout,
             .metricsPort:
            if case .integer(let n) = value { limits[name] = n }
        case .resourceURL, .oauthAuthorizationServers, .oauthScopes, .toolsets, .athenaWorkgroup, .athenaOutputLocation,
             .athenaAllowWrites:
            lists[name] = text
        }
    }
}
