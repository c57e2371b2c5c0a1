/// Several query engines as one: each requirement goes to the first engine that declares its capability.
///
/// The backend factory pairs the embedded engine (SQL over package files, everywhere) with a query service where the
/// deployment has one, so the tool layer holds one ``QueryOps`` whatever the mode.
public struct QueryEngineSet: QueryOps {
    public let engines: [any QueryOps]
    public init(_ engines: [any QueryOps]) { self.engines = engines }

    /// The members' ids joined with `+` (`embedded+athena`).
    public var engineID: String { engines.map(\.engineID).joined(separator: "+") }
    public var queryCapabilities: Set<QueryCapability> { engines.reduce(into: []) { $0.formUnion($1.queryCapabilities) } }

    /// The engine that answers `capability`.
    /// - Throws: `.unsupported` naming `operation` and every engine here when none declares it.
    func engine(_ capability: QueryCapability, _ operation: String) throws(QuiltOpsError) -> any QueryOps {
        if let engine = engines.first(where: { $0.queryCapabilities.contains(capability) }) { return engine }
        throw .unsupported(operation: operation, backend: "\(engineID) query engine")
    }

    // MARK: - Package queries

    public func packageQuery(_ request: PackageQueryRequest) async throws(QuiltOpsError) -> QueryResult {
        try await engine(.packageQuery, "package_query").packageQuery(request)
    }

    // MARK: - A query service

    public func executeQuery(_ request: SQLQueryRequest) async throws(QuiltOpsError) -> SQLQueryResult {
        try await engine(.sql, "athena_query_execute").executeQuery(request)
    }

    public func vetStatement(_ query: String) throws(QuiltOpsError) {
        try engine(.sql, "athena_query_validate").vetStatement(query)
    }

    public func queryResults(executionID: String, cursor: String?, maxRows: Int) async throws(QuiltOpsError) -> SQLQueryResult {
        try await engine(.sql, "athena_query_results").queryResults(executionID: executionID, cursor: cursor, maxRows: maxRows)
    }

    public func queryHistory(workgroup: String?, limit: Int) async throws(QuiltOpsError) -> [SQLExecution] {
        try await engine(.sql, "athena_query_history").queryHistory(workgroup: workgroup, limit: limit)
    }

    public func listWorkgroups() async throws(QuiltOpsError) -> [SQLWorkgroup] {
        try await engine(.workgroups, "athena_workgroups_list").listWorkgroups()
    }

    public func listDatabases(catalog: String?) async throws(QuiltOpsError) -> [SQLDatabase] {
        try await engine(.sqlCatalog, "athena_databases_list").listDatabases(catalog: catalog)
    }

    public func listTables(database: String, catalog: String?, pattern: String?) async throws(QuiltOpsError) -> [SQLTable] {
        try await engine(.sqlCatalog, "athena_tables_list").listTables(database: database, catalog: catalog, pattern: pattern)
    }

    public func tableSchema(database: String, table: String, catalog: String?) async throws(QuiltOpsError) -> SQLTable {
        try await engine(.sqlCatalog, "athena_table_schema").tableSchema(database: database, table: table, catalog: catalog)
    }
}
