package import QuiltContract

/// The resolved deployment mode: every setting the server needs, where each came from, and the facts derived
/// from them. Built only by ``ModeResolver``, so a `Mode` value always satisfies rules R1–R10.
///
/// The bearer token is kept but never printed: `description`, `debugDescription`, `dump`/`Mirror`,
/// ``explanation()`` and ``jsonDescription()`` show only where it came from. The ``aws`` values (which may hold
/// AWS secrets) are likewise never printed; only their names are.
package struct Mode: Sendable {
    /// The preset in effect (`local` when none was chosen).
    package let preset: Preset
    /// Which API answers Quilt operations.
    package let api: API
    /// How the server authenticates.
    package let auth: Auth
    /// Whether the server may keep state on disk.
    package let state: State
    /// Where the server runs.
    package let locale: Locale
    /// How clients reach the server.
    package let transport: Transport
    /// The default package registry for tools; nil when none is configured or derived.
    package let registry: RegistryURL?
    /// The catalog web URL (http(s), no trailing slash).
    package let catalogURL: String?
    /// The catalog API base URL (http(s), no trailing slash); nil means discover it from `<catalogURL>/config.json`.
    package let registryAPIURL: String?
    /// The HTTP bind address.
    package let host: String
    /// The HTTP bind port (1–65535).
    package let port: Int
    /// The port of the Prometheus `/metrics` listener (on ``host``); nil: metrics are not served.
    package let metricsPort: Int?
    /// Single- or multi-tenant.
    package let tenancy: Tenancy
    /// The least severe message logged.
    package let logLevel: LogLevel
    /// When true, every writing tool refuses.
    package let readOnly: Bool
    /// The toolsets the MCP server offers; nil: all of them.
    package let toolsets: Set<String>?
    /// The names of the toolsets (the tool layer groups its tools under these; a test keeps both lists equal).
    package static let toolsetNames = ["packages", "objects", "search", "links", "query", "tabulator", "assist", "permissions", "curate", "admin"]
    /// The toolsets served when no setting names any: a data scientist's everyday work (find, read and make packages,
    /// read and write objects), within 12 KB of `tools/list`.
    package static let defaultToolsets = ["packages", "objects", "search"]
    /// The toolsets and the setting that chose them, for the tool layer; nil when every toolset is served.
    package var toolsetsSetting: (names: Set<String>, setting: String)? {
        guard let toolsets else { return nil }
        return (toolsets, Self.toolsetsSettingName)
    }
    /// The setting to name when a write is refused because the deployment is read-only; nil when it may write.
    package var readOnlySetting: String? {
        readOnly ? Self.readOnlySettingName : nil
    }
    /// How a refusal names a setting: its flag, then its variables (built once; every call asks).
    private static func settingName(_ id: SettingName) -> String {
        let setting = SettingDescriptor.of(id)
        return ([setting.flag].compactMap { $0 } + setting.variables).joined(separator: ", ")
    }
    private static let toolsetsSettingName = settingName(.toolsets)
    private static let readOnlySettingName = settingName(.readOnly)
    /// Where the configured bearer token comes from (recorded even when the token is ignored, see rule R11).
    package let jwtTokenSource: JWTTokenSource?
    let secretToken: RedactedSecret?
    /// Where the configured HS256 verification secret comes from (recorded even when ignored, see rule R12).
    package let jwtSecretSource: JWTTokenSource?
    /// The configured JWKS URL (recorded even when ignored).
    package let jwtJWKSURL: String?
    /// The configured `iss` check (recorded even when ignored).
    package let jwtIssuer: String?
    /// The configured `aud` check (recorded even when ignored).
    package let jwtAudience: String?
    /// Local verification of bearer tokens; nil when no key is configured (tokens are passed on unverified, for
    /// the catalog to verify) or when auth is not jwt. Holds the HS256 secret; never log or print it.
    package let jwtVerification: JWTVerification?
    /// Where the configured request-state key comes from.
    package let requestStateKeySource: JWTTokenSource?
    let stateKey: RedactedSecret?
    /// The resource bounds (request bodies, objects read whole, requests in flight, tenants' memory).
    package let limits: Limits
    /// What `/.well-known/oauth-protected-resource` says and which scopes tokens need (RFC 9728).
    package let protectedResource: ProtectedResource
    /// How Athena is used: the workgroup and result location for statements that name none, whether writes run.
    package let analytics: Analytics
    /// Whether callers may reach this machine's files (local paths, `file://` URLs, `file://` physical keys): only
    /// in a local, single-tenant, persistent deployment that takes no bearer tokens over HTTP. Every backend
    /// receives it and refuses the rest with `forbidden`, naming the settings that forbid it.
    package let serverFiles: ServerFileAccess
    /// quilt3's data directory (`$XDG_DATA_HOME/Quilt` else `$HOME/.local/share/Quilt`); nil in stateless state.
    package let quilt3DataDirectory: String?
    /// quilt3's local registry `file://<quilt3DataDirectory>/packages`; nil in stateless state.
    package let defaultLocalRegistry: RegistryURL?
    /// The environment the AWS credential chain and S3 client need: every `AWS_*` variable, plus `HOME` in
    /// persistent state; in stateless state without `AWS_PROFILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`.
    package let aws: [String: String]
    /// The environment of a program run on the user's behalf (a profile's `credential_process`): the server's own
    /// in persistent state, as the AWS CLI passes it; empty in stateless state, which reads no profiles. Holds
    /// whatever the user's environment holds: never log or print it.
    package let childEnvironment: [String: String]
    /// Lines starting `warning: ` to print on standard error at start-up (deprecated variables, ignored settings).
    package let warnings: [String]
    /// Where every setting came from; has an entry for every ``SettingName``.
    package let sources: [SettingName: SettingSource]

    /// The bearer token from ``jwtTokenSource``; nil when none is configured or it is ignored (auth is not jwt and
    /// api is not platform). Pass it to the backend; never log or print it.
    package var jwtToken: String? { secretToken?.value }
    /// The key that signs consent questions' `requestState` (`request_state_key`), nil when none is configured.
    /// Never log or print it.
    package var requestStateKey: String? { stateKey?.value }

    /// Where `name` came from. Never fails.
    package func source(of name: SettingName) -> SettingSource { sources[name] ?? .default }
}

extension Mode: Equatable {}

extension Mode: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// ``explanation()``: the settings table without the token or AWS values.
    package var description: String { explanation() }
    /// ``explanation()``.
    package var debugDescription: String { explanation() }
    /// One child per setting with its displayed (redacted) value; no token, no AWS values.
    package var customMirror: Mirror {
        Mirror(self, children: ModeReport.rows(self).map { (label: $0.name, value: $0.value as Any) },
               displayStyle: .struct)
    }
}

extension Mode {
    /// The bounds that keep one process (and each of its callers) within its means. Past a bound the answer is a
    /// typed error or an HTTP status with `Retry-After`, never an allocation or a crash.
    package struct Limits: Sendable, Hashable {
        /// The largest HTTP request body, in bytes (`max_request_bytes`; 413 past it).
        package var requestBytes: Int
        /// The largest object read whole into memory, in bytes (`max_object_bytes`; `too_large` past it).
        package var objectBytes: Int
        /// The most `/mcp` requests in flight in this process (`max_requests`; 503 past it).
        package var requests: Int
        /// The most `/mcp` requests in flight per caller (`max_caller_requests`; 429 past it).
        package var callerRequests: Int
        /// The bytes one tenant's `memory://` registries may hold (`tenant_memory_bytes`).
        package var tenantMemoryBytes: Int
        /// The most tenants whose `memory://` registries are kept (`max_tenants`).
        package var tenants: Int
        /// Seconds an HTTP connection may send nothing, between requests or mid-body, before it is closed
        /// (`idle_timeout`). A request whose body stalls would otherwise hold its admission slot, and graceful
        /// shutdown, for ever; a request being answered is never cut by it.
        package var idleSeconds: Int

        /// The defaults of ``SettingDescriptor/all``.
        package static let defaults = Limits(
            requestBytes: 16 << 20, objectBytes: 64 << 20, requests: 256, callerRequests: 32,
            tenantMemoryBytes: 64 << 20, tenants: 1024, idleSeconds: 75)

        package init(
            requestBytes: Int, objectBytes: Int, requests: Int, callerRequests: Int, tenantMemoryBytes: Int, tenants: Int,
            idleSeconds: Int
        ) {
            self.requestBytes = requestBytes
            self.objectBytes = objectBytes
            self.requests = requests
            self.callerRequests = callerRequests
            self.tenantMemoryBytes = tenantMemoryBytes
            self.tenants = tenants
            self.idleSeconds = idleSeconds
        }

        /// The variable that sets `name`, for error messages (`QUILT_MCP_MAX_OBJECT_BYTES`).
        package static func variable(_ name: SettingName) -> String { SettingDescriptor.of(name).variables[0] }
    }
}

extension Mode {
    /// The Athena settings.
    package struct Analytics: Sendable, Hashable {
        /// `athena_workgroup`; nil: discovered.
        package var workgroup: String?
        /// `athena_output_location`; nil: the workgroup's.
        package var outputLocation: String?
        /// `athena_allow_writes`, and never with `read_only`.
        package var allowWrites: Bool
        package init(workgroup: String? = nil, outputLocation: String? = nil, allowWrites: Bool = false) {
            self.workgroup = workgroup
            self.outputLocation = outputLocation
            self.allowWrites = allowWrites
        }
    }
}
