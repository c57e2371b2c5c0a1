public import QuiltJSON

/// The Tabulator contract: SQL tables defined over the files of a bucket's packages (each table a YAML definition:
/// columns, the package and logical-key patterns that pick files, how to parse them), and the catalog's open-query
/// switch.
///
/// A catalog keeps them (the Platform backend, over GraphQL; queried with Athena in the stack's Tabulator data
/// catalog). A registry without a catalog keeps them itself and queries them in this process (``queryTables(_:)``);
/// see `docs/guide/tabulator.md`. Errors: `QuiltOpsError` only; a requirement whose capability the backend does not
/// declare throws `.unsupported`; the catalog's `InvalidInput` names the argument it refused (`table_name`, `config`,
/// `bucket`), `Forbidden` is `.forbidden`.
public protocol TabulatorOps: Sendable {
    /// `catalog`, or `registry` (definitions kept in the registry, queried in this process).
    var tabulatorID: String { get }
    var tabulatorCapabilities: Set<TabulatorCapability> { get }

    /// The tables of `registry` (a catalog's bucket, or any registry the backend reaches), as stored: name and YAML.
    /// - Throws: `.notFound(.bucket)` for a bucket the catalog does not know; `.invalidInput(field: "bucket_name")`
    ///   for a registry this backend cannot keep tables in (a local path for a catalog).
    func tabulatorTables(registry: RegistryURL) async throws(QuiltOpsError) -> [TabulatorTable]

    /// Creates or replaces table `name` in `registry`; nil `config` deletes it (a table that is not there is already
    /// deleted). Returns the tables after, in the store's order.
    /// - Throws: `.invalidInput` for a bad name or definition (`table_name`, `config`; the catalog's own words);
    ///   `.forbidden` for a caller who may not change tables; `.readOnly` on a read-only deployment.
    func setTabulatorTable(registry: RegistryURL, name: String, config: String?) async throws(QuiltOpsError) -> [TabulatorTable]

    /// Renames a table. Returns the tables after.
    /// - Throws: `.invalidInput` for a table that does not exist or a new name that is taken or invalid.
    func renameTabulatorTable(registry: RegistryURL, name: String, newName: String) async throws(QuiltOpsError) -> [TabulatorTable]

    /// The Athena data catalog the stack's Tabulator tables are queried in (`quilt-<stack>-tabulator`); each
    /// bucket is a database there.
    /// - Throws: `.unsupported` when there is none (no catalog, or its configuration names no analytics bucket).
    func tabulatorDataCatalog() async throws(QuiltOpsError) -> String

    /// Runs one read-only statement over the tables of `request.registry` in this process (capability `query`):
    /// each table the statement names is made from the latest revision of every package whose name matches its
    /// definition, from the entries whose logical keys match, with the columns Tabulator adds (`$pkg_name`,
    /// `$logical_key`, `$physical_key`, `$top_hash`, `$issue`, and the patterns' named groups).
    /// - Throws: `.unsupported` where tables are queried with Athena (``tabulatorDataCatalog()``);
    ///   `.invalidInput(field: "query")` for a statement that writes, that names no table there is, or whose files do
    ///   not parse as the definition says (unless it continues on errors); `.tooLarge` past the byte budget;
    ///   `.remote` for a file whose bytes do not match its entry's hash; `.cancelled` when the call is cancelled
    ///   (between files while tables load, at once while the statement runs).
    func queryTables(_ request: TabulatorQueryRequest) async throws(QuiltOpsError) -> TabulatorQueryResult

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
    /// Query the tables in this process (``TabulatorOps/queryTables(_:)``), not with Athena.
    case query
}

/// One statement over the Tabulator tables of a registry.
public struct TabulatorQueryRequest: Sendable {
    /// Where the tables are defined; the statement names them unqualified (`SELECT * FROM reads`).
    public var registry: RegistryURL
    public var query: String
    /// The most rows the answer carries; past it the answer says `truncated`.
    public var maxRows: Int
    /// The most bytes of package files read, in all; nil: the engine's limit (the deployment's).
    public var maxBytes: Int64?
    /// Receives the tables' loading as it goes: phase `tabulator <table>`, files read of the table's files.
    public var progress: ProgressHandler?

    public init(registry: RegistryURL, query: String, maxRows: Int = 1000, maxBytes: Int64? = nil, progress: ProgressHandler? = nil) {
        self.registry = registry
        self.query = query
        self.maxRows = maxRows
        self.maxBytes = maxBytes
        self.progress = progress
    }
}

/// The answer to a ``TabulatorQueryRequest``: columns, rows, and each table as it was made.
public struct TabulatorQueryResult: Sendable, Hashable {
    /// A table made for the statement: from which revisions and files, with how many rows.
    public struct Table: Sendable, Hashable {
        public var name: String
        public var columns: [QueryResult.Column]
        /// `package@tophash` of each package revision read (the latest of each matching package).
        public var revisions: [String]
        public var files: Int
        public var rows: Int
        public var bytes: Int64
        /// Files that did not parse, each noted in its rows' `$issue` (with `continue_on_error`).
        public var issues: Int
        public init(name: String, columns: [QueryResult.Column], revisions: [String], files: Int, rows: Int, bytes: Int64, issues: Int) {
            self.name = name
            self.columns = columns
            self.revisions = revisions
            self.files = files
            self.rows = rows
            self.bytes = bytes
            self.issues = issues
        }
    }

    public var engine: String
    public var dialect: String
    public var registry: RegistryURL
    public var columns: [QueryResult.Column]
    public var rows: [[JSONValue]]
    public var truncated: Bool
    public var tables: [Table]

    public init(
        engine: String, dialect: String, registry: RegistryURL, columns: [QueryResult.Column], rows: [[JSONValue]], truncated: Bool,
        tables: [Table]
    ) {
        self.engine = engine
        self.dialect = dialect
        self.registry = registry
        self.columns = columns
        self.rows = rows
        self.truncated = truncated
        self.tables = tables
    }
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
        .unsupported(operation: operation, backend: "\(tabulatorID) (no Tabulator here)")
    }
    public func tabulatorTables(registry: RegistryURL) async throws(QuiltOpsError) -> [TabulatorTable] { throw refuse("tabulator_tables_list") }
    public func setTabulatorTable(registry: RegistryURL, name: String, config: String?) async throws(QuiltOpsError) -> [TabulatorTable] {
        throw refuse(config == nil ? "tabulator_table_delete" : "tabulator_table_create")
    }
    public func renameTabulatorTable(registry: RegistryURL, name: String, newName: String) async throws(QuiltOpsError) -> [TabulatorTable] {
        throw refuse("tabulator_table_rename")
    }
    public func queryTables(_ request: TabulatorQueryRequest) async throws(QuiltOpsError) -> TabulatorQueryResult {
        throw refuse("tabulator_query_execute")
    }
    public func tabulatorOpenQuery() async throws(QuiltOpsError) -> Bool { throw refuse("admin_tabulator_open_query_get") }
    public func tabulatorDataCatalog() async throws(QuiltOpsError) -> String { throw refuse("tabulator_query_execute") }
    public func setTabulatorOpenQuery(_ enabled: Bool) async throws(QuiltOpsError) -> Bool {
        throw refuse("admin_tabulator_open_query_set")
    }
}
