package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
package import QuiltMode
package import QuiltPlatform
import QuiltQuery
import QuiltS3
import Synchronization

extension BackendFactory {
    /// The Platform backend for `mode` (api=platform), acting with `bearerToken`: the per-request token over HTTP,
    /// the configured `QUILT_MCP_JWT_TOKEN` over stdio; with neither and auth=session, the `quilt3 login` token from
    /// quilt3's `auth.json` for the catalog's registry (refreshed when it expires; written back only when persistent).
    ///
    /// The registry API is `mode.registryAPIURL`, else discovered once per process from
    /// `<mode.catalogURL>/config.json`. Object bytes go through S3 with the catalog's AWS credentials for the token;
    /// `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL` and `AWS_REGION` from `mode.aws` override the endpoint and the
    /// catalog's region. Read-only removes the write capabilities; stateless state refuses local files as sources.
    /// - Throws: `invalidInput` for a malformed endpoint variable.
    package static func makePlatform(
        mode: Mode, bearerToken: String?, transport: any HTTPTransport = sharedTransport,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(QuiltOpsError) -> any QuiltOps {
        CapabilityGate(try platformBackend(mode: mode, bearerToken: bearerToken, transport: transport, clock: clock))
    }

    /// The Platform backend itself (not gated), for the contracts it serves beside `QuiltOps` (Tabulator).
    package static func platformBackend(
        mode: Mode, bearerToken: String?, transport: any HTTPTransport = sharedTransport,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(QuiltOpsError) -> PlatformBackend {
        let s3 = try S3Configuration.from(aws: mode.aws)
        let explicitRegion = [mode.aws["AWS_REGION"], mode.aws["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty }
        var tokenSource: (any BearerTokenSource)?
        if bearerToken?.isEmpty ?? true, mode.auth == .session, let directory = mode.quilt3DataDirectory {
            tokenSource = Quilt3LoginBearer(session: quilt3Session(directory: directory, persistent: mode.state == .persistent, transport: transport))
        }
        return PlatformBackend(
            configuration: PlatformConfiguration(
                catalogURL: mode.catalogURL, registryURL: mode.registryAPIURL, bearerToken: bearerToken, tokenSource: tokenSource,
                authMethod: tokenSource != nil ? "quilt3-session" : mode.auth.rawValue, transport: transport, s3Endpoint: s3.endpoint, s3Region: explicitRegion,
                readOnly: mode.readOnly, serverFiles: mode.serverFiles, maxObjectBytes: mode.limits.objectBytes, clock: clock))
    }

    /// Tabulator for `mode`: the catalog's (api=platform, acting with the caller's token, made on its first call so
    /// a request that calls no Tabulator tool costs nothing); else the registry's own, kept beside its packages and
    /// queried in this process through `ops` (one query reads at most `max_object_bytes`); with no backend, none
    /// (every call `unsupported`, naming the backend).
    package static func tabulator(mode: Mode, ops: (any QuiltOps)?, backendID: String, credentials: RequestCredentials?) -> any TabulatorOps {
        if mode.api == .platform {
            return DeferredTabulator { () throws(QuiltOpsError) in
                try platformBackend(mode: mode, bearerToken: credentials?.bearerToken ?? mode.jwtToken)
            }
        }
        guard let ops else { return NoTabulator(backend: backendID) }
        return RegistryTabulator(ops: ops, byteLimit: (Int64(mode.limits.objectBytes), Mode.Limits.variable(.maxObjectBytes)))
    }
}

/// The catalog's Tabulator, made on its first call (``FirstUse``).
struct DeferredTabulator: TabulatorOps {
    let tabulatorID = "catalog"
    let tabulatorCapabilities: Set<TabulatorCapability> = [.tables, .openQuery]
    private let made: FirstUse<PlatformBackend>

    init(make: @escaping @Sendable () throws(QuiltOpsError) -> PlatformBackend) { made = FirstUse(make) }

    func backend() throws(QuiltOpsError) -> PlatformBackend { try made.get() }

    func tabulatorTables(registry: RegistryURL) async throws(QuiltOpsError) -> [TabulatorTable] {
        try await backend().tabulatorTables(registry: registry)
    }
    func setTabulatorTable(registry: RegistryURL, name: String, config: String?) async throws(QuiltOpsError) -> [TabulatorTable] {
        try await backend().setTabulatorTable(registry: registry, name: name, config: config)
    }
    func renameTabulatorTable(registry: RegistryURL, name: String, newName: String) async throws(QuiltOpsError) -> [TabulatorTable] {
        try await backend().renameTabulatorTable(registry: registry, name: name, newName: newName)
    }
    func queryTables(_ request: TabulatorQueryRequest) async throws(QuiltOpsError) -> TabulatorQueryResult {
        try await backend().queryTables(request)
    }
    func tabulatorOpenQuery() async throws(QuiltOpsError) -> Bool { try await backend().tabulatorOpenQuery() }
    func tabulatorDataCatalog() async throws(QuiltOpsError) -> String { try await backend().tabulatorDataCatalog() }
    func setTabulatorOpenQuery(_ enabled: Bool) async throws(QuiltOpsError) -> Bool {
        try await backend().setTabulatorOpenQuery(enabled)
    }
}

extension BackendFactory {
    private static let quilt3Sessions = Mutex<[String: Quilt3SessionToken]>([:])

    /// One session reader per quilt3 data directory and process, so its in-memory token survives between backends.
    static func quilt3Session(directory: String, persistent: Bool, transport: any HTTPTransport) -> Quilt3SessionToken {
        quilt3Sessions.withLock { sessions in
            let key = "\(persistent) \(directory)"
            if let s = sessions[key] { return s }
            let s = Quilt3SessionToken(dataDirectory: directory, persistent: persistent, transport: transport)
            sessions[key] = s
            return s
        }
    }
}

/// The `quilt3 login` as the Platform backend's token source.
struct Quilt3LoginBearer: BearerTokenSource {
    let session: Quilt3SessionToken
    func bearerToken(registry: String) async throws(QuiltOpsError) -> String { try await session.token(registry: registry) }
}
