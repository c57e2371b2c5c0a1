import Dispatch
package import QuiltContract
import QuiltJSON

/// SQL over package files with SQLite inside this process: the query engine of a laptop, and of any deployment
/// without Athena. It reads files through the package backend, so it works on every backend (local, S3, the catalog).
///
/// A query runs in a fresh in-memory database. The tables it names are loaded on demand: the statement is prepared,
/// and each table SQLite reports missing is loaded from the entry with that logical key, then the statement is
/// prepared again (so a query over one file of a thousand-file package reads one file). With `tables` given, those
/// are loaded first. Every file is checked against its entry's hash and counts against the request's byte budget.
///
/// The statement runs on a thread of its own (it is CPU work that would otherwise hold a thread of Swift's small
/// shared pool), stops when the call is cancelled, and is bounded by ``timeLimit``.
package struct EmbeddedQueryEngine: QueryOps {
    package let engineID = "embedded"
    package let queryCapabilities: Set<QueryCapability> = [.packageQuery]
    /// The package backend the files are read through.
    let ops: any QuiltOps
    /// How long one statement may run.
    package var timeLimit: Duration
    /// The most bytes of files one query may read, and the setting that chose it (for the error past it).
    package var byteLimit: (bytes: Int64, setting: String)

    package init(ops: any QuiltOps, byteLimit: (bytes: Int64, setting: String), timeLimit: Duration = .seconds(30)) {
        self.ops = ops
        self.byteLimit = byteLimit
        self.timeLimit = timeLimit
    }

    // MARK: - Package queries

    package func packageQuery(_ request: PackageQueryRequest) async throws(QuiltOpsError) -> QueryResult {
        try require(.packageQuery, for: "package_query")
        guard request.maxRows >= 1 else { throw .invalidInput(field: "max_rows", reason: "must be at least 1.") }
        let budget = try FileBudget(asked: request.maxBytes, engine: byteLimit)
        let catalog = try await TableCatalog.open(request, ops: ops)
        let database = try SQLiteDatabase()
        var loader = TableLoader(catalog: catalog, ops: ops, budget: budget, database: database)
        for name in request.tables ?? [] { try await loader.load(name, named: true) }
        // Prepare; load what SQLite says is missing; again — at most once per tabular entry.
        while let missing = try database.missingTable(in: request.query) {
            guard try await loader.load(missing, named: false) else { break }
        }
        let timeLimit = timeLimit
        let answer = try await Self.offThread(database) { db throws(QuiltOpsError) in
            // The clock starts when the statement does, not while it waits for its thread.
            try db.query(request.query, maxRows: request.maxRows, deadline: ContinuousClock.now + timeLimit)
        }
        return QueryResult(
            engine: engineID, dialect: SQLiteDatabase.dialect, revision: catalog.revision, columns: answer.columns,
            rows: answer.rows, truncated: answer.truncated, tables: loader.loaded)
    }

    // MARK: - A query service (not this engine)

    package func executeQuery(_ request: SQLQueryRequest) async throws(QuiltOpsError) -> SQLQueryResult {
        throw unsupported("athena_query_execute")
    }
    package func vetStatement(_ query: String) throws(QuiltOpsError) { throw unsupported("athena_query_validate") }
    package func queryResults(executionID: String, cursor: String?, maxRows: Int) async throws(QuiltOpsError) -> SQLQueryResult {
        throw unsupported("athena_query_results")
    }
    package func queryHistory(workgroup: String?, limit: Int) async throws(QuiltOpsError) -> [SQLExecution] {
        throw unsupported("athena_query_history")
    }
    package func listWorkgroups() async throws(QuiltOpsError) -> [SQLWorkgroup] { throw unsupported("athena_workgroups_list") }
    package func listDatabases(catalog: String?) async throws(QuiltOpsError) -> [SQLDatabase] {
        throw unsupported("athena_databases_list")
    }
    package func listTables(database: String, catalog: String?, pattern: String?) async throws(QuiltOpsError) -> [SQLTable] {
        throw unsupported("athena_tables_list")
    }
    package func tableSchema(database: String, table: String, catalog: String?) async throws(QuiltOpsError) -> SQLTable {
        throw unsupported("athena_table_schema")
    }
    private func unsupported(_ operation: String) -> QuiltOpsError {
        .unsupported(operation: operation, backend: "embedded query engine (SQL over package files only; configure Athena)")
    }

    // MARK: - Threads

    /// Runs `body` on a thread of its own, interrupting the database when the calling task is cancelled.
    ///
    /// A serial queue of its own targets libdispatch's overcommitting pool, which starts a thread when none is free;
    /// `DispatchQueue.global()` would run at most one work item per core, so two long statements would hold every
    /// thread it has (and whatever else waits on it, such as a `credential_process`).
    static func offThread<T: Sendable>(
        _ database: SQLiteDatabase, _ body: @escaping @Sendable (SQLiteDatabase) throws(QuiltOpsError) -> T
    ) async throws(QuiltOpsError) -> T {
        let box = UncheckedBox(database)
        let result: Result<T, QuiltOpsError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                DispatchQueue(label: "quilt-mcp package_query").async {
                    continuation.resume(returning: Result { () throws(QuiltOpsError) -> T in try body(box.value) })
                }
            }
        } onCancel: {
            box.value.interrupt.set()
        }
        return try result.get()
    }
}

/// Hands the database to the one thread that uses it at a time.
private final class UncheckedBox: @unchecked Sendable {
    let value: SQLiteDatabase
    init(_ value: SQLiteDatabase) { self.value = value }
}

// MARK: - The revision's files

/// The files of one revision, found one at a time.
///
/// The revision is resolved once and every lookup is pinned to its top hash, so a tag that moves mid-query cannot mix
/// two revisions. A table costs one browse of its own path (one manifest line, or one catalog request), not a walk
/// of the whole listing: a query over one file of a 100,000-file package asks for one entry. The whole listing is
/// read only to name the tables there are, when a statement names one that is not.
struct TableCatalog {
    let revision: ResolvedRevision
    let ops: any QuiltOps
    private var pinned: BrowseRequest

    /// Resolves the request's revision.
    /// - Throws: as ``QuiltOps/resolve(package:registry:revision:)``.
    static func open(_ request: PackageQueryRequest, ops: any QuiltOps) async throws(QuiltOpsError) -> TableCatalog {
        let revision = try await ops.resolve(package: request.package, registry: request.registry, revision: request.revision)
        return TableCatalog(revision: revision, ops: ops)
    }

    init(revision: ResolvedRevision, ops: any QuiltOps) {
        self.revision = revision
        self.ops = ops
        pinned = BrowseRequest(package: revision.name, registry: revision.registry, revision: .hash(revision.hash))
    }

    /// The file entry whose logical key is exactly `logicalKey`, or nil.
    func file(_ logicalKey: String) async throws(QuiltOpsError) -> BrowseEntry? {
        var one = pinned
        one.path = logicalKey
        do {
            let page = try await ops.browse(one)
            if let hit = page.entries.first(where: { $0.kind == .file && $0.logicalKey == logicalKey }) { return hit }
        } catch .notFound(.entry), .invalidInput(field: "path", _) {
            return nil
        }
        // A key that is also a directory lists the directory; only the whole listing settles it.
        return try await everyFile().first { $0.logicalKey == logicalKey }
    }

    /// The tabular entries, sorted, for error messages.
    func tableNames() async throws(QuiltOpsError) -> [String] {
        try await everyFile().map(\.logicalKey)
            .filter { if case .table = TabularFormat.kind(of: $0) { return true } else { return false } }.sorted()
    }

    /// Every file of the revision (paged through the backend's browse, which verifies the manifest).
    func everyFile() async throws(QuiltOpsError) -> [BrowseEntry] {
        var all = pinned
        all.recursive = true
        var files: [BrowseEntry] = []
        var cursor: String?
        repeat {
            all.page = try PageRequest(limit: PageRequest.maxLimit, cursor: cursor)
            let page = try await ops.browse(all)
            files += page.entries.filter { $0.kind == .file }
            cursor = page.nextCursor
        } while cursor != nil
        return files
    }
}

/// Loads entries into the database as tables, within the byte budget.
struct TableLoader {
    let catalog: TableCatalog
    let ops: any QuiltOps
    var budget: FileBudget
    let database: SQLiteDatabase
    private(set) var loaded: [QueryResult.Table] = []

    init(catalog: TableCatalog, ops: any QuiltOps, budget: FileBudget, database: SQLiteDatabase) {
        self.catalog = catalog
        self.ops = ops
        self.budget = budget
        self.database = database
    }

    /// Loads the entry `logicalKey` as the table of that name.
    /// - Parameter named: the caller named it in `tables` (else SQLite found it missing in the statement).
    /// - Returns: false when it was already loaded.
    /// - Throws: `.invalidInput` naming the tables there are, or the format that cannot be read; `.tooLarge` past the
    ///   budget; `.remote` when the bytes do not match the entry's hash.
    @discardableResult
    mutating func load(_ logicalKey: String, named: Bool) async throws(QuiltOpsError) -> Bool {
        if loaded.contains(where: { $0.name == logicalKey }) { return false }
        let field = named ? "tables" : "query"
        guard let entry = try await catalog.file(logicalKey), let key = entry.physicalKey else {
            let known = try await catalog.tableNames()
            let list = known.isEmpty ? "this revision has no CSV, TSV or JSON-lines files" : "its tables are " + known.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ") + (known.count > 20 ? ", …" : "")
            throw .invalidInput(field: field, reason: "no file '\(logicalKey)' in \(catalog.revision.name.rawValue)@\(catalog.revision.hash.rawValue.prefix(10)); \(list) (quote names in SQL: \"data/file.csv\").")
        }
        let format: TabularFormat
        switch TabularFormat.kind(of: logicalKey) {
        case .table(let f): format = f
        case .unreadable(let name):
            throw .invalidInput(field: field, reason: "'\(logicalKey)' is \(name), which the embedded engine cannot read (it reads CSV, TSV and JSON lines); query it with Athena, or convert it.")
        case .other:
            throw .invalidInput(field: field, reason: "'\(logicalKey)' is not a CSV, TSV or JSON-lines file (by its extension), so it is no table.")
        }
        let bytes = try await budget.read(entry, at: key, ops: ops, for: "the files this query reads")
        let table = try TabularReader.read(bytes, format: format, logicalKey: logicalKey)
        try database.createTable(logicalKey, columns: table.columns, bindingRows: table.write)
        loaded.append(QueryResult.Table(
            name: logicalKey, logicalKey: logicalKey, format: format.rawValue, rows: table.rowCount, bytes: entry.size,
            columns: table.columns.map { QueryResult.Column(name: $0.name, type: $0.type) }))
        return true
    }
}
