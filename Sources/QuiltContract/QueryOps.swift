public import QuiltJSON

/// The query contract: SQL over package data, beside ``QuiltOps``.
///
/// Engines conform (the embedded SQLite engine over any ``QuiltOps`` backend; Athena, a query service), declare what
/// they answer in ``queryCapabilities``, and are chosen by the backend factory from the mode like every backend. One
/// conformance suite (`Tests/Conformance`) specifies the behaviour for each engine that claims a capability.
///
/// Errors: every requirement throws `QuiltOpsError` only; a requirement whose capability the engine does not declare
/// throws `.unsupported`, never an empty result.
public protocol QueryOps: Sendable {
    /// `embedded` (SQLite in this process) or `athena`.
    var engineID: String { get }
    /// What this engine answers.
    var queryCapabilities: Set<QueryCapability> { get }

    /// Runs one read-only SQL statement over the tabular files of one package revision.
    ///
    /// Each CSV, TSV or JSON-lines entry (by extension; `tables` narrows them) is a table named by its logical key
    /// (`SELECT sum(units) FROM "data/sales.csv"`). The files are read through the package backend, each checked
    /// against its entry's hash, and no more than `maxBytes` (at most the engine's own limit) in all are read.
    /// - Throws: `.invalidInput(field: "query")` for a statement that writes or that the engine refuses (its own
    ///   words); `.invalidInput(field: "tables")` for a named table that is no tabular entry, or a format the engine
    ///   cannot read (Parquet is refused by name); `.tooLarge` past `maxBytes`; `.notFound` for the package,
    ///   revision or registry; `.remote` for an entry whose bytes do not match its hash.
    func packageQuery(_ request: PackageQueryRequest) async throws(QuiltOpsError) -> QueryResult

    // MARK: - A query service (Athena)

    /// Starts one statement and waits up to `request.wait` for it, returning its first `maxRows` rows, or its
    /// execution id and state when it is still running (``queryResults(executionID:cursor:maxRows:)`` fetches it
    /// later). Cancelling the call stops the query.
    /// - Throws: `.invalidInput(field: "query")` for a statement the deployment does not allow (a write, several
    ///   statements) or that the service refused or failed (its own words); `.invalidInput(field: "workgroup")`
    ///   when none is given, configured or discoverable; `.notFound(.analytics)` for a workgroup or database;
    ///   `.forbidden` when the caller may not run it; `.cancelled` when the call was cancelled (the query is stopped).
    func executeQuery(_ request: SQLQueryRequest) async throws(QuiltOpsError) -> SQLQueryResult

    /// Checks, without sending it, that ``executeQuery(_:)`` would accept `query` on this deployment.
    /// - Throws: `.invalidInput(field: "query")` saying why not, as ``executeQuery(_:)`` would.
    func vetStatement(_ query: String) throws(QuiltOpsError)

    /// The state of an execution and, once it succeeded, up to `maxRows` of its rows from `cursor` (nil: the first).
    /// A cancelled execution answers its state, with no rows.
    /// - Throws: `.notFound(.analytics)` for an unknown execution id; `.invalidInput(field: "query")` when it failed;
    ///   `.invalidInput(field: "cursor")` for a cursor of another execution.
    func queryResults(executionID: String, cursor: String?, maxRows: Int) async throws(QuiltOpsError) -> SQLQueryResult

    /// Recent executions, newest first, in `workgroup` (nil: the one ``executeQuery(_:)`` would use).
    func queryHistory(workgroup: String?, limit: Int) async throws(QuiltOpsError) -> [SQLExecution]

    /// The workgroups the caller can see, each with its output location where the caller may read it.
    func listWorkgroups() async throws(QuiltOpsError) -> [SQLWorkgroup]

    /// The databases of a data catalog (nil: `AwsDataCatalog`).
    /// - Throws: `.notFound(.analytics)` for an unknown catalog.
    func listDatabases(catalog: String?) async throws(QuiltOpsError) -> [SQLDatabase]

    /// The tables of a database whose names match `pattern` (`*` any run of characters; nil: every table).
    /// - Throws: `.notFound(.analytics)` for an unknown database.
    func listTables(database: String, catalog: String?, pattern: String?) async throws(QuiltOpsError) -> [SQLTable]

    /// One table's columns, partition columns and location.
    /// - Throws: `.notFound(.analytics)` for an unknown database or table.
    func tableSchema(database: String, table: String, catalog: String?) async throws(QuiltOpsError) -> SQLTable
}

/// What a query engine answers.
public enum QueryCapability: String, Sendable, Hashable, CaseIterable, Comparable {
    /// SQL over one package revision's tabular files (``QueryOps/packageQuery(_:)``).
    case packageQuery
    /// Statements on a query service, their results and history (``QueryOps/executeQuery(_:)``,
    /// ``QueryOps/queryResults(executionID:cursor:maxRows:)``, ``QueryOps/queryHistory(workgroup:limit:)``).
    case sql
    /// The service's databases and tables (``QueryOps/listDatabases(catalog:)``, ``QueryOps/listTables(database:catalog:pattern:)``,
    /// ``QueryOps/tableSchema(database:table:catalog:)``).
    case sqlCatalog
    /// The service's workgroups (``QueryOps/listWorkgroups()``).
    case workgroups

    public static func < (a: QueryCapability, b: QueryCapability) -> Bool { a.rawValue < b.rawValue }
}

extension QueryOps {
    /// Throws `.unsupported` unless the engine declares `capability`.
    public func require(_ capability: QueryCapability, for operation: String) throws(QuiltOpsError) {
        guard queryCapabilities.contains(capability) else {
            throw .unsupported(operation: operation, backend: "\(engineID) query engine")
        }
    }
}

/// One SQL statement over one package revision.
public struct PackageQueryRequest: Sendable, Hashable {
    public var package: PackageName
    public var registry: RegistryURL
    public var revision: RevisionRef
    /// One read-only statement (`SELECT`, `WITH … SELECT`, `EXPLAIN`, …).
    public var query: String
    /// The logical keys to load as tables; nil: every tabular entry of the revision.
    public var tables: [String]?
    /// The most rows the answer carries; past it the answer says `truncated`.
    public var maxRows: Int
    /// The most bytes of package files read for the query, in all; nil: the engine's limit (the deployment's).
    public var maxBytes: Int64?

    public init(
        package: PackageName, registry: RegistryURL, revision: RevisionRef = .latest, query: String, tables: [String]? = nil,
        maxRows: Int = 1000, maxBytes: Int64? = nil
    ) {
        self.package = package
        self.registry = registry
        self.revision = revision
        self.query = query
        self.tables = tables
        self.maxRows = maxRows
        self.maxBytes = maxBytes
    }
}

/// A query's answer: columns, rows, and what answered it.
public struct QueryResult: Sendable, Hashable {
    /// A column of the answer: its name and the type the engine declared (empty when it declared none).
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: String
        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// A table the engine loaded: its name in SQL, the entry it came from, its format, rows and bytes.
    public struct Table: Sendable, Hashable {
        public var name: String
        public var logicalKey: String
        public var format: String
        public var rows: Int
        public var bytes: Int64
        public var columns: [Column]
        public init(name: String, logicalKey: String, format: String, rows: Int, bytes: Int64, columns: [Column]) {
            self.name = name
            self.logicalKey = logicalKey
            self.format = format
            self.rows = rows
            self.bytes = bytes
            self.columns = columns
        }
    }

    /// `embedded` or `athena`.
    public var engine: String
    /// The SQL dialect the statement was run in (`SQLite 3.40.1`).
    public var dialect: String
    /// The revision the tables came from.
    public var revision: ResolvedRevision
    public var columns: [Column]
    /// At most the request's `maxRows`; cells are null, numbers or strings (blobs as base64).
    public var rows: [[JSONValue]]
    /// True when the statement produced more rows than were returned.
    public var truncated: Bool
    public var tables: [Table]

    public init(
        engine: String, dialect: String, revision: ResolvedRevision, columns: [Column], rows: [[JSONValue]], truncated: Bool,
        tables: [Table]
    ) {
        self.engine = engine
        self.dialect = dialect
        self.revision = revision
        self.columns = columns
        self.rows = rows
        self.truncated = truncated
        self.tables = tables
    }
}
