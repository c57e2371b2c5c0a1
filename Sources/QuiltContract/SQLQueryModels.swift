public import FoundationEssentials
public import QuiltJSON

/// One SQL statement for a query service (Athena): where it runs and how much of its answer comes back in the call.
public struct SQLQueryRequest: Sendable {
    /// One statement. Deployments that do not allow writes refuse anything but reads before it is sent.
    public var query: String
    /// The database (schema) unqualified table names resolve in; nil: the service's default.
    public var database: String?
    /// The data catalog (`AwsDataCatalog`, a Tabulator catalog); nil: `AwsDataCatalog`.
    public var catalog: String?
    /// The workgroup; nil: the deployment's setting, else one discovered (enabled, with an output location).
    public var workgroup: String?
    /// The most rows this call returns; more stay behind a cursor.
    public var maxRows: Int
    /// How long the call waits for the query to finish before returning its execution id to fetch later.
    public var wait: Duration
    /// Receives the query's state while the call waits: phase `athena QUEUED` or `athena RUNNING`, seconds waited of
    /// at most `wait`'s.
    public var progress: ProgressHandler?

    public init(
        query: String, database: String? = nil, catalog: String? = nil, workgroup: String? = nil, maxRows: Int = 1000,
        wait: Duration = .seconds(60), progress: ProgressHandler? = nil
    ) {
        self.progress = progress
        self.query = query
        self.database = database
        self.catalog = catalog
        self.workgroup = workgroup
        self.maxRows = maxRows
        self.wait = wait
    }
}

/// The state, and the rows so far, of one query execution.
public struct SQLQueryResult: Sendable, Hashable {
    /// `athena`.
    public var engine: String
    /// The SQL dialect the statement ran in (`Trino (Athena engine version 3)`).
    public var dialect: String
    /// The service's id for the execution: pass it to fetch more rows or the rows of a query still running.
    public var executionID: String
    /// `QUEUED`, `RUNNING`, `SUCCEEDED`, `FAILED` or `CANCELLED`.
    public var state: String
    public var workgroup: String
    public var columns: [QueryResult.Column]
    /// Cells are null, booleans, numbers (kept as the service spelled them) or strings.
    public var rows: [[JSONValue]]
    /// Set while more rows remain: pass it back with ``executionID`` for the next page.
    public var nextCursor: String?
    /// True when rows were left out: more remain behind ``nextCursor``, or the service sent more than asked for.
    public var truncated: Bool = false
    /// Bytes the service scanned, when it reported them.
    public var scannedBytes: Int64?
    /// Milliseconds the engine ran, when reported.
    public var engineMilliseconds: Int64?
    /// Where the service wrote the full result (`s3://…`), when it did.
    public var outputLocation: String?

    public init(
        engine: String, dialect: String, executionID: String, state: String, workgroup: String, columns: [QueryResult.Column] = [],
        rows: [[JSONValue]] = [], nextCursor: String? = nil, scannedBytes: Int64? = nil, engineMilliseconds: Int64? = nil,
        outputLocation: String? = nil
    ) {
        self.engine = engine
        self.dialect = dialect
        self.executionID = executionID
        self.state = state
        self.workgroup = workgroup
        self.columns = columns
        self.rows = rows
        self.nextCursor = nextCursor
        self.scannedBytes = scannedBytes
        self.engineMilliseconds = engineMilliseconds
        self.outputLocation = outputLocation
    }

    /// Whether the execution has ended (succeeded, failed or cancelled).
    public var finished: Bool { ["SUCCEEDED", "FAILED", "CANCELLED"].contains(state) }
}

/// A database (schema) in a data catalog.
public struct SQLDatabase: Sendable, Hashable {
    public var name: String
    public var catalog: String
    public var description: String?
    public init(name: String, catalog: String, description: String? = nil) {
        self.name = name
        self.catalog = catalog
        self.description = description
    }
}

/// A table, its columns and where its data lives.
public struct SQLTable: Sendable, Hashable {
    public var name: String
    public var database: String
    public var catalog: String
    /// `EXTERNAL_TABLE`, `VIRTUAL_VIEW`, … as the catalog says.
    public var type: String?
    public var columns: [QueryResult.Column]
    /// Partition columns, after the data columns in `SELECT *`.
    public var partitionColumns: [QueryResult.Column]
    /// The data's location (`s3://…`), when the catalog says.
    public var location: String?
    public var created: Date?
    public init(
        name: String, database: String, catalog: String, type: String? = nil, columns: [QueryResult.Column] = [],
        partitionColumns: [QueryResult.Column] = [], location: String? = nil, created: Date? = nil
    ) {
        self.name = name
        self.database = database
        self.catalog = catalog
        self.type = type
        self.columns = columns
        self.partitionColumns = partitionColumns
        self.location = location
        self.created = created
    }
}

/// A workgroup: where queries run, are billed and write their results.
public struct SQLWorkgroup: Sendable, Hashable {
    public var name: String
    /// `ENABLED` or `DISABLED`.
    public var state: String
    public var description: String?
    /// Where its results go (`s3://…`), when it configures a location and the caller may read its configuration.
    public var outputLocation: String?
    /// `Athena engine version 3`, when reported.
    public var engineVersion: String?
    public init(name: String, state: String, description: String? = nil, outputLocation: String? = nil, engineVersion: String? = nil) {
        self.name = name
        self.state = state
        self.description = description
        self.outputLocation = outputLocation
        self.engineVersion = engineVersion
    }
}

/// One past query execution.
public struct SQLExecution: Sendable, Hashable {
    public var executionID: String
    public var query: String
    public var state: String
    /// Why it failed or was cancelled, in the service's words.
    public var reason: String?
    public var database: String?
    public var workgroup: String?
    public var submitted: Date?
    public var scannedBytes: Int64?
    public var engineMilliseconds: Int64?
    public init(
        executionID: String, query: String, state: String, reason: String? = nil, database: String? = nil, workgroup: String? = nil,
        submitted: Date? = nil, scannedBytes: Int64? = nil, engineMilliseconds: Int64? = nil
    ) {
        self.executionID = executionID
        self.query = query
        self.state = state
        self.reason = reason
        self.database = database
        self.workgroup = workgroup
        self.submitted = submitted
        self.scannedBytes = scannedBytes
        self.engineMilliseconds = engineMilliseconds
    }
}
