package import QuiltContract
package import QuiltHTTP
package import QuiltMode
import QuiltAthena
import QuiltPlatform
import QuiltQuery
import QuiltS3

extension BackendFactory {
    /// The query engines for `mode` over the package backend `ops`: the embedded SQLite engine (SQL over package
    /// files; one query reads at most `max_object_bytes`) and Athena, with the same AWS credentials, region and
    /// endpoint settings the S3 client uses (the caller's token exchanged at the catalog with auth=jwt).
    ///
    /// Athena is set up on its first call, so a deployment that never queries never reads AWS settings for it, and a
    /// malformed AWS setting is that call's typed error.
    package static func queryEngine(
        mode: Mode, ops: any QuiltOps, credentials: RequestCredentials? = nil, transport: any HTTPTransport = sharedTransport
    ) -> any QueryOps {
        let embedded = EmbeddedQueryEngine(
            ops: ops, byteLimit: (Int64(mode.limits.objectBytes), Mode.Limits.variable(.maxObjectBytes)))
        let athena = DeferredQueryEngine(engineID: "athena", capabilities: [.sql, .sqlCatalog, .workgroups]) { () throws(QuiltOpsError) in
            try athenaEngine(mode: mode, credentials: credentials, transport: transport)
        }
        return QueryEngineSet([embedded, athena])
    }

    /// Athena and Glue clients for `mode`, signed with the credentials S3 would use.
    /// - Throws: `invalidInput` naming a malformed endpoint variable.
    static func athenaEngine(
        mode: Mode, credentials caller: RequestCredentials?, transport: any HTTPTransport
    ) throws(QuiltOpsError) -> AthenaEngine {
        let s3 = if let caller {
            try s3Client(mode: mode, bearerToken: caller.bearerToken, tokenDigest: caller.tokenDigest, transport: transport).client
        } else {
            try localS3Client(mode: mode, transport: transport)
        }
        let region = s3.configuration.region
        let catalog = athenaRegionFromCatalog(mode: mode)
        func client(_ service: String, _ prefix: String) throws(QuiltOpsError) -> AWSJSONClient {
            let location: AWSServiceLocation
            if let catalog {
                // Checked now, so a malformed endpoint setting is still the first call's error either way.
                _ = try AWSJSONClient.endpoint(service: service, region: region, aws: mode.aws)
                location = .lookup { () throws(QuiltOpsError) in
                    let stack: String?
                    do throws(QuiltOpsError) {
                        stack = try await CatalogDirectory.shared.config(catalog: catalog, transport: transport).region
                    } catch .remote(let reason, let retryable) {
                        throw .remote("finding the stack's region for \(service) in \(catalog)/config.json: \(reason) (AWS_REGION names it instead)", retryable: retryable)
                    }
                    let chosen = stack.flatMap { $0.isEmpty ? nil : $0 } ?? region
                    return (try AWSJSONClient.endpoint(service: service, region: chosen, aws: mode.aws), chosen)
                }
            } else {
                location = .fixed(endpoint: try AWSJSONClient.endpoint(service: service, region: region, aws: mode.aws), region: region)
            }
            return AWSJSONClient(
                service: service, targetPrefix: prefix, location: location, transport: transport, credentials: s3.credentials,
                clock: s3.configuration.clock, maxResponseBytes: mode.limits.objectBytes)
        }
        let variable = { (name: SettingName) in SettingDescriptor.of(name).variables.first ?? name.rawValue }
        let settings = AthenaEngine.Settings(
            workgroup: mode.analytics.workgroup.map { ($0, variable(.athenaWorkgroup)) }, outputLocation: mode.analytics.outputLocation,
            allowWrites: (
                mode.analytics.allowWrites,
                mode.readOnly ? "\(variable(.athenaAllowWrites)) (and not \(variable(.readOnly)))" : variable(.athenaAllowWrites)
            ),
            workgroupSetting: variable(.athenaWorkgroup))
        return AthenaEngine(athena: try client("athena", "AmazonAthena"), glue: try client("glue", "AWSGlue"), settings: settings)
    }
}

extension BackendFactory {
    /// The catalog whose `config.json` names Athena's region: set when the deployment has a catalog and names no
    /// region itself (`AWS_REGION`, `AWS_DEFAULT_REGION`, the AWS profile's, or the quilt3 configuration's with
    /// auth=session), as a remote deployment behind a catalog often does not.
    static func athenaRegionFromCatalog(mode: Mode) -> String? {
        guard let catalog = mode.catalogURL, !catalog.isEmpty else { return nil }
        let quilt3 = mode.auth == .session ? mode.quilt3DataDirectory.flatMap { Quilt3Config.load(dataDirectory: $0) }?.region : nil
        let named = [mode.aws["AWS_REGION"], mode.aws["AWS_DEFAULT_REGION"], AWSCredentialChain.profileRegion(aws: mode.aws), quilt3]
        return named.contains { ($0 ?? "").isEmpty == false } ? nil : catalog
    }
}

/// A query engine made on its first use (``FirstUse``).
struct DeferredQueryEngine: QueryOps {
    let engineID: String
    let queryCapabilities: Set<QueryCapability>
    private let made: FirstUse<any QueryOps>

    init(engineID: String, capabilities: Set<QueryCapability>, make: @escaping @Sendable () throws(QuiltOpsError) -> any QueryOps) {
        self.engineID = engineID
        self.queryCapabilities = capabilities
        self.made = FirstUse(make)
    }

    func engine() throws(QuiltOpsError) -> any QueryOps { try made.get() }

    func packageQuery(_ request: PackageQueryRequest) async throws(QuiltOpsError) -> QueryResult {
        try await engine().packageQuery(request)
    }
    func executeQuery(_ request: SQLQueryRequest) async throws(QuiltOpsError) -> SQLQueryResult {
        try await engine().executeQuery(request)
    }
    func vetStatement(_ query: String) throws(QuiltOpsError) { try engine().vetStatement(query) }
    func queryResults(executionID: String, cursor: String?, maxRows: Int) async throws(QuiltOpsError) -> SQLQueryResult {
        try await engine().queryResults(executionID: executionID, cursor: cursor, maxRows: maxRows)
    }
    func queryHistory(workgroup: String?, limit: Int) async throws(QuiltOpsError) -> [SQLExecution] {
        try await engine().queryHistory(workgroup: workgroup, limit: limit)
    }
    func listWorkgroups() async throws(QuiltOpsError) -> [SQLWorkgroup] { try await engine().listWorkgroups() }
    func listDatabases(catalog: String?) async throws(QuiltOpsError) -> [SQLDatabase] {
        try await engine().listDatabases(catalog: catalog)
    }
    func listTables(database: String, catalog: String?, pattern: String?) async throws(QuiltOpsError) -> [SQLTable] {
        try await engine().listTables(database: database, catalog: catalog, pattern: pattern)
    }
    func tableSchema(database: String, table: String, catalog: String?) async throws(QuiltOpsError) -> SQLTable {
        try await engine().tableSchema(database: database, table: table, catalog: catalog)
    }
}
