package import QuiltContract
package import QuiltHTTP
package import QuiltMode
import QuiltAthena
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
        func client(_ service: String, _ prefix: String) throws(QuiltOpsError) -> AWSJSONClient {
            AWSJSONClient(
                service: service, targetPrefix: prefix, endpoint: try AWSJSONClient.endpoint(service: service, region: region, aws: mode.aws),
                region: region, transport: transport, credentials: s3.credentials, clock: s3.configuration.clock,
                maxResponseBytes: mode.limits.objectBytes)
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
