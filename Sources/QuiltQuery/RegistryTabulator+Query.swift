package import QuiltContract
import QuiltJSON

extension RegistryTabulator {
    // MARK: - Queries

    /// Runs one read-only statement over the registry's Tabulator tables, in a fresh in-memory SQLite database.
    ///
    /// Each table the statement names is made on demand, as the embedded engine loads files: the latest revision of
    /// every package whose name the definition's `package_name` matches (a search, as Tabulator's regular
    /// expressions are; anchor with `^…$`), and in each the files whose logical keys `logical_key` matches. A CSV
    /// record's fields are the schema's columns in order (`header: true` skips the first record, after `skip_rows`
    /// records); each field is converted to its column's type. Added columns, after the schema's: the patterns' named
    /// groups (package name's first), then `$pkg_name`, `$logical_key`, `$physical_key`, `$top_hash`, `$issue` (quote
    /// them in SQL: `"$pkg_name"`). A record with fewer fields than the schema has NULLs for the rest, noted in
    /// `$issue`; a file that does not parse is an error naming the file, record and column, or with
    /// `continue_on_error` one row of NULLs whose `$issue` says why.
    package func queryTables(_ request: TabulatorQueryRequest) async throws(QuiltOpsError) -> TabulatorQueryResult {
        guard request.maxRows >= 1 else { throw .invalidInput(field: "max_rows", reason: "must be at least 1.") }
        let budget = try FileBudget(asked: request.maxBytes, engine: byteLimit)
        let definitions = try await stored(request.registry)
        let database = try SQLiteDatabase()
        var builder = TabulatorTableBuilder(
            ops: ops, registry: request.registry, database: database, budget: budget, progress: request.progress)
        while let missing = try missingTable(request.query, database, definitions) {
            guard let table = definitions.first(where: { $0.name == missing }) else {
                let qualified = missing.contains(".") ? Self.unqualifiedHint : ""
                throw .invalidInput(
                    field: "query",
                    reason: "no Tabulator table '\(missing)' in \(request.registry.url); "
                        + (definitions.isEmpty ? "it has none yet (tabulator_table_create makes one)." : "its tables are \(definitions.map(\.name).joined(separator: ", ")).")
                        + qualified)
            }
            guard !builder.made.contains(where: { $0.name == table.name }) else { break }
            try await builder.make(table)
        }
        let timeLimit = timeLimit
        let answer = try await EmbeddedQueryEngine.offThread(database) { db throws(QuiltOpsError) in
            try db.query(request.query, maxRows: request.maxRows, deadline: ContinuousClock.now + timeLimit)
        }
        return TabulatorQueryResult(
            engine: "embedded", dialect: SQLiteDatabase.dialect, registry: request.registry, columns: answer.columns, rows: answer.rows,
            truncated: answer.truncated, tables: builder.made)
    }

    /// What to say about a schema-qualified name (`"bucket"."reads"`): the engine attaches no databases.
    static let unqualifiedHint = " Name tables without the bucket here (\"reads\", not \"bucket\".\"reads\")."

    /// The table the statement names that is not made yet; a schema-qualified name gets a hint instead of SQLite's words.
    private func missingTable(_ query: String, _ database: SQLiteDatabase, _ definitions: [TabulatorTable]) throws(QuiltOpsError) -> String? {
        do {
            return try database.missingTable(in: query)
        } catch .invalidInput(let field, let reason) where reason.contains("unknown database") {
            throw .invalidInput(field: field, reason: reason + Self.unqualifiedHint)
        }
    }
}

/// Makes Tabulator tables in a database from a registry's packages, within a byte budget.
struct TabulatorTableBuilder {
    let ops: any QuiltOps
    let registry: RegistryURL
    let database: SQLiteDatabase
    let progress: ProgressHandler?
    private var budget: FileBudget
    private(set) var made: [TabulatorQueryResult.Table] = []

    init(ops: any QuiltOps, registry: RegistryURL, database: SQLiteDatabase, budget: FileBudget, progress: ProgressHandler? = nil) {
        self.ops = ops
        self.registry = registry
        self.database = database
        self.progress = progress
        self.budget = budget
    }

    /// One file to load: where it came from and its bytes.
    struct File {
        let package: String
        let topHash: String
        let logicalKey: String
        let physicalKey: String
        let groups: [SQLValue]
        let bytes: [UInt8]
    }

    mutating func make(_ table: TabulatorTable) async throws(QuiltOpsError) {
        let definition: TabulatorDefinition
        do { definition = try TabulatorDefinition(yaml: table.config) } catch {
            throw .invalidInput(field: "query", reason: "table '\(table.name)' has a definition this server cannot read (\(error.message)); fix it with tabulator_table_create.")
        }
        guard definition.format != "parquet" else {
            throw .invalidInput(
                field: "query",
                reason: "table '\(table.name)' reads Parquet, which the embedded engine cannot read (it reads CSV and TSV); query it through a catalog's Athena.")
        }
        let layout = try TableLayout(definition, table: table.name)
        // First what to read (every matching package's latest revision, its matching files), then read it.
        var picked: [(package: PackageName, hash: String, entry: BrowseEntry, key: PhysicalKey, groups: [SQLValue])] = []
        var revisions: [String] = []
        for name in try await packageNames(matching: layout.packagePattern) {
            let revision = try await ops.resolve(package: name, registry: registry, revision: .latest)
            revisions.append("\(name.rawValue)@\(revision.hash.rawValue)")
            let packageGroups = TableLayout.groups(layout.packagePattern, in: name.rawValue, layout.packageGroups)
            let entries = try await TableCatalog(revision: revision, ops: ops).everyFile()
                .filter { (try? layout.keyPattern.firstMatch(in: $0.logicalKey)) != nil }
                .sorted { $0.logicalKey < $1.logicalKey }
            for entry in entries {
                guard let key = entry.physicalKey else { continue }
                if case .unreadable(let kind) = TabularFormat.kind(of: entry.logicalKey) {
                    throw .invalidInput(
                        field: "query",
                        reason: "table '\(table.name)' matches \(name.rawValue)/\(entry.logicalKey), which is \(kind): the embedded engine reads CSV, TSV and JSON lines; narrow logical_key, or query it through a catalog's Athena.")
                }
                picked.append((name, revision.hash.rawValue, entry, key,
                               packageGroups + TableLayout.groups(layout.keyPattern, in: entry.logicalKey, layout.keyGroups)))
            }
        }
        var files: [File] = []
        let phase = "tabulator \(table.name)"
        progress?(WriteProgress(phase: phase, completed: 0, total: Int64(picked.count)))
        for (done, p) in picked.enumerated() {
            if Task.isCancelled { throw .cancelled("the query was cancelled.") }
            let bytes = try await budget.read(p.entry, at: p.key, ops: ops, for: "the files table '\(table.name)' reads from \(p.package.rawValue)")
            files.append(File(
                package: p.package.rawValue, topHash: p.hash, logicalKey: p.entry.logicalKey, physicalKey: p.key.url, groups: p.groups, bytes: bytes))
            progress?(WriteProgress(phase: phase, completed: Int64(done + 1), total: Int64(picked.count)))
        }
        var rows = 0
        var issues = 0
        try database.createTable(table.name, columns: layout.columns) { (insert) throws(QuiltOpsError) in
            for file in files {
                let (count, issue) = try layout.load(file, definition, insert)
                rows += count
                if issue { issues += 1 }
            }
        }
        made.append(TabulatorQueryResult.Table(
            name: table.name, columns: layout.columns.map { QueryResult.Column(name: $0.name, type: $0.type) }, revisions: revisions,
            files: files.count, rows: rows, bytes: files.reduce(0) { $0 + Int64($1.bytes.count) }, issues: issues))
    }

    /// Every package name in the registry the pattern finds, in order.
    private func packageNames(matching pattern: Regex<AnyRegexOutput>) async throws(QuiltOpsError) -> [PackageName] {
        var names: [PackageName] = []
        var cursor: String?
        repeat {
            let page = try await ops.listPackages(registry: registry, prefix: "", page: try PageRequest(limit: PageRequest.maxLimit, cursor: cursor))
            names += page.items.map(\.name).filter { (try? pattern.firstMatch(in: $0.rawValue)) != nil }
            cursor = page.nextCursor
        } while cursor != nil
        return names
    }
}
