/// The Tabulator contract: SQL tables defined over the files of a bucket's packages (each table a YAML definition:
/// columns, the package and logical-key patterns that pick files, how to parse them), and the catalog's open-query
/// switch.
///
/// The catalog keeps them (the Platform backend, over GraphQL); a backend without a catalog declares nothing and
/// every requirement throws `.unsupported`. Errors: `QuiltOpsError` only; the catalog's `InvalidInput` names the
/// argument it refused (`table_name`, `config`, `bucket`), `Forbidden` is `.forbidden`.
public protocol TabulatorOps: Sendable {
    /// `catalog` or the backend's own id.
    var tabulatorID: String { get }
    var tabulatorCapabilities: Set<TabulatorCapability> { get }

    /// The tables of `bucket`, as stored (name and YAML).
    /// - Throws: `.notFound(.bucket)` for a bucket the catalog does not know.
    func tabulatorTables(bucket: String) async throws(QuiltOpsError) -> [TabulatorTable]

    /// Creates or replaces table `name` in `bucket`; nil `config` deletes it. Returns the bucket's tables after.
    /// - Throws: `.invalidInput` (the catalog's own words) for a bad name or definition; `.forbidden` for a caller
    ///   who may not change tables.
    func setTabulatorTable(bucket: String, name: String, config: String?) async throws(QuiltOpsError) -> [TabulatorTable]

    /// Renames a table. Returns the bucket's tables after.
    /// - Throws: `.invalidInput` for a table that does not exist or a new name that is taken or invalid.
    func renameTabulatorTable(bucket: String, name: String, newName: String) async throws(QuiltOpsError) -> [TabulatorTable]

    /// The Athena data catalog the stack's Tabulator tables are queried in (`quilt-<stack>-tabulator`); each
    /// bucket is a database there.
    /// - Throws: `.unsupported` when the catalog does not say (no analytics bucket in its configuration).
    func tabulatorDataCatalog() async throws(QuiltOpsError) -> String

    /// Whether open query is on (Tabulator reachable from outside the catalog with AWS credentials alone).
    /// - Throws: `.forbidden` for a caller who is not a catalog admin; `.unsupported` before catalog 2025-07.
    func tabulatorOpenQuery() async throws(QuiltOpsError) -> Bool

    /// Turns open query on or off; returns the new state.
    /// - Throws: as ``tabulatorOpenQuery()``.
    func setTabulatorOpenQuery(_ enabled: Bool) async throws(QuiltOpsError) -> Bool
}

/// What a Tabulator backend answers.
public enum TabulatorCapability: String, Sendable, Hashable, CaseIterable {
    /// List, set, rename and delete tables.
    case tables
    /// Read and set the open-query switch (admins).
    case openQuery
}

/// One Tabulator table as stored: its name and YAML definition.
public struct TabulatorTable: Sendable, Hashable {
    public var name: String
    public var config: String
    public init(name: String, config: String) {
        self.name = name
        self.config = config
    }
}

/// No Tabulator: every requirement throws `.unsupported` naming the backend (a registry without a catalog).
public struct NoTabulator: TabulatorOps {
    public let tabulatorID: String
    public let tabulatorCapabilities: Set<TabulatorCapability> = []
    public init(backend: String) { tabulatorID = backend }

    func refuse(_ operation: String) -> QuiltOpsError {
        .unsupported(operation: operation, backend: "\(tabulatorID) (Tabulator tables live in a Quilt catalog: api=platform)")
    }
    public func tabulatorTables(bucket: String) async throws(QuiltOpsError) -> [TabulatorTable] { throw refuse("tabulator_tables_list") }
    public func setTabulatorTable(bucket: String, name: String, config: String?) async throws(QuiltOpsError) -> [TabulatorTable] {
        throw refuse(config == nil ? "tabulator_table_delete" : "tabulator_table_create")
    }
    public func renameTabulatorTable(bucket: String, name: String, newName: String) async throws(QuiltOpsError) -> [TabulatorTable] {
        throw refuse("tabulator_table_rename")
    }
    public func tabulatorOpenQuery() async throws(QuiltOpsError) -> Bool { throw refuse("admin_tabulator_open_query_get") }
    public func tabulatorDataCatalog() async throws(QuiltOpsError) -> String { throw refuse("tabulator_query_execute") }
    public func setTabulatorOpenQuery(_ enabled: Bool) async throws(QuiltOpsError) -> Bool {
        throw refuse("admin_tabulator_open_query_set")
    }
}
