package import QuiltContract
import QuiltJSON

/// Tabulator on the catalog: `bucketConfig.tabulatorTables` to read; `bucketSetTabulatorTable` and
/// `bucketRenameTabulatorTable` to change (top-level from 2026-06, under `admin` before, as the schema probe finds);
/// `admin.tabulatorOpenQuery` and `admin.setTabulatorOpenQuery` (2025-07 on). Mutations are never retried.
extension PlatformBackend: TabulatorOps {
    package var tabulatorID: String { "catalog" }
    package var tabulatorCapabilities: Set<TabulatorCapability> { [.tables, .openQuery] }

    package func tabulatorTables(registry: RegistryURL) async throws(QuiltOpsError) -> [TabulatorTable] {
        let bucket = try Self.bucket(registry)
        let data = try await tabulator(.tabulatorTables, ["bucket": .string(bucket)])
        guard let config = data["bucketConfig"], !config.isNull else { throw .notFound(.bucket(bucket)) }
        return Self.tables(config)
    }

    package func setTabulatorTable(registry: RegistryURL, name: String, config: String?) async throws(QuiltOpsError) -> [TabulatorTable] {
        try refuseWhenReadOnly(config == nil ? "tabulator_table_delete" : "tabulator_table_create")
        let bucket = try Self.bucket(registry)
        let form = try await tablesForm()
        let data = try await tabulator(
            .tabulatorSetTable, ["bucket": .string(bucket), "table": .string(name), "config": config.map(JSONValue.string) ?? .null])
        return try Self.changed(form == .topLevel ? data["bucketSetTabulatorTable"] : data["admin"]?["bucketSetTabulatorTable"], "bucketSetTabulatorTable")
    }

    package func renameTabulatorTable(registry: RegistryURL, name: String, newName: String) async throws(QuiltOpsError) -> [TabulatorTable] {
        try refuseWhenReadOnly("tabulator_table_rename")
        let bucket = try Self.bucket(registry)
        let form = try await tablesForm()
        let data = try await tabulator(.tabulatorRenameTable, ["bucket": .string(bucket), "table": .string(name), "newName": .string(newName)])
        return try Self.changed(
            form == .topLevel ? data["bucketRenameTabulatorTable"] : data["admin"]?["bucketRenameTabulatorTable"], "bucketRenameTabulatorTable")
    }

    package func tabulatorDataCatalog() async throws(QuiltOpsError) -> String {
        guard let name = try await catalogConfig()?.tabulatorDataCatalog else {
            throw .unsupported(
                operation: "finding the Tabulator data catalog", backend: "this catalog (its config.json names no analyticsBucket, or the registry URL was given without a catalog URL)")
        }
        return name
    }

    package func queryTables(_ request: TabulatorQueryRequest) async throws(QuiltOpsError) -> TabulatorQueryResult {
        throw .unsupported(
            operation: "querying Tabulator tables in this process", backend: "the catalog (its tables are queried with Athena, in its Tabulator data catalog)")
    }

    package func tabulatorOpenQuery() async throws(QuiltOpsError) -> Bool {
        try await requireOpenQuery("admin_tabulator_open_query_get")
        let data = try await tabulator(.tabulatorOpenQuery)
        guard let enabled = data["admin"]?["tabulatorOpenQuery"]?.boolValue else {
            throw .remote("TabulatorOpenQuery answered without tabulatorOpenQuery.", retryable: false)
        }
        return enabled
    }

    package func setTabulatorOpenQuery(_ enabled: Bool) async throws(QuiltOpsError) -> Bool {
        try refuseWhenReadOnly("admin_tabulator_open_query_set")
        try await requireOpenQuery("admin_tabulator_open_query_set")
        let data = try await tabulator(.tabulatorSetOpenQuery, ["enabled": .bool(enabled)])
        guard let now = data["admin"]?["setTabulatorOpenQuery"]?["tabulatorOpenQuery"]?.boolValue else {
            throw .remote("TabulatorSetOpenQuery answered without tabulatorOpenQuery.", retryable: false)
        }
        return now
    }

    // MARK: - Helpers

    /// The catalog's name for `registry`: its bucket.
    static func bucket(_ registry: RegistryURL) throws(QuiltOpsError) -> String {
        guard registry.kind == .s3 else {
            throw .invalidInput(field: "bucket_name", reason: "'\(registry.url)' is not a catalog bucket (my-bucket or s3://my-bucket).")
        }
        return registry.location
    }

    /// Runs a Tabulator operation in the form this catalog's schema takes.
    func tabulator(_ operation: CatalogOperation, _ variables: JSONObject = [:]) async throws(QuiltOpsError) -> JSONValue {
        try await graphQL(operation, variables, features: try await schemaFeatures())
    }

    func tablesForm() async throws(QuiltOpsError) -> TabulatorForm {
        let form = try await schemaFeatures().tabulatorTables
        if form == .none { throw .unsupported(operation: "changing Tabulator tables", backend: "this catalog (its schema has no Tabulator mutations)") }
        return form
    }

    func requireOpenQuery(_ operation: String) async throws(QuiltOpsError) {
        guard try await schemaFeatures().tabulatorOpenQuery else {
            throw .unsupported(operation: operation, backend: "this catalog (open query is new in Quilt 1.57, schema 2025-07)")
        }
    }

    func refuseWhenReadOnly(_ operation: String) throws(QuiltOpsError) {
        if configuration.readOnly { throw .readOnly(operation: operation, setting: "read_only (QUILT_MCP_READ_ONLY)") }
    }

    /// The tables of a `BucketSetTabulatorTableResult`, or the typed error its other members stand for; the
    /// catalog's argument names become the tools' (`tableName` → `table_name`).
    static func changed(_ result: JSONValue?, _ operation: String) throws(QuiltOpsError) -> [TabulatorTable] {
        do {
            try checkUnion(result, operation: operation)
        } catch .invalidInput(let field, let reason) {
            let names = ["tableName": "table_name", "newTableName": "new_table_name", "bucketName": "bucket", "config": "config"]
            throw .invalidInput(field: names[field] ?? field, reason: reason)
        }
        return tables(result ?? .null)
    }

    static func tables(_ config: JSONValue) -> [TabulatorTable] {
        (config["tabulatorTables"]?.arrayValue ?? []).compactMap { t in
            guard let name = t["name"]?.stringValue, let yaml = t["config"]?.stringValue else { return nil }
            return TabulatorTable(name: name, config: yaml)
        }
    }
}
