import QuiltContract
import QuiltJSON

/// Tabulator tables (the `tabulator` toolset, off by default), with the Python server's names: on the catalog
/// (queried with Athena), or without one kept in the registry and queried in this process.
enum TabulatorTools {
    static let bucket = Param(
        "bucket_name", .string(pattern: nil, minLength: 1),
        "The catalog bucket (s3://bucket or bucket); without a catalog any registry (file:///path). Default: configured.")
    static let table = Param("table_name", .string(pattern: nil, minLength: 1), "The table's name (^[a-z_][a-z0-9_]*$).", required: true)

    static let tablesList = Tool(
        ToolDefinition(
            name: "tabulator_tables_list", title: "List a bucket's Tabulator tables",
            description: "The Tabulator tables of a bucket: each table's name and YAML definition (columns, the package and "
                + "logical-key patterns that pick files, the parser).",
            parameters: [bucket], annotations: ToolAnnotations(readOnly: true, idempotent: true)),
        pythonNames: ["bucket": .renamed(to: "bucket_name")]
    ) { (args, ctx) throws(QuiltOpsError) in
        let registry = try bucketName(args, ctx)
        return encode(registry, try await engine(ctx, "tabulator_tables_list").tabulatorTables(registry: registry))
    }

    static let tableCreate = Tool(
        ToolDefinition(
            name: "tabulator_table_create", title: "Create or replace a Tabulator table",
            description: "Defines a table over the files of a bucket's packages: the columns, a package-name pattern and a "
                + "logical-key pattern (regular expressions; named groups become columns), and how files parse. Checked here, then "
                + "stored by the catalog (admins) or, without one, in the registry. Replaces a table of the same name.",
            parameters: [
                bucket, table,
                Param("schema", .objectArray(minItems: 1, items: [
                    "type": "object", "properties": ["name": ["type": "string"], "type": ["type": "string", "enum": .array(TabulatorDefinition.types.map { .string($0) })]],
                    "required": ["name", "type"],
                ]), "Columns in file order: [{name, type}].", required: true),
                Param("package_pattern", .string(pattern: nil, minLength: 1), "Regex over package names, e.g. ^lab/run-.*$.", required: true),
                Param("logical_key_pattern", .string(pattern: nil, minLength: 1), "Regex over logical keys, e.g. \\.csv$.", required: true),
                Param("parser_format", .string(pattern: nil, minLength: 1), "File format.", default: "csv", enum: ["csv", "tsv", "parquet"]),
                Param("parser_delimiter", .string(pattern: nil, minLength: 1), "One character; default , (tab for tsv)."),
                Param("parser_header", .boolean, "The first row names the columns.", default: true),
                Param("parser_skip_rows", .integer(min: 0, max: 1000), "Rows to skip first.", default: .number(JSONNumber(0))),
                Param("continue_on_error", .boolean, "Skip files that do not parse, noting them in $issue.", default: false),
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true)),
        pythonNames: ["description": .refused(hint: "the catalog keeps no description for a table (the Python server only echoed it back); leave it out.")]
    ) { (args, ctx) throws(QuiltOpsError) in
        let columns = (args["schema"]?.arrayValue ?? []).map { ($0["name"]?.stringValue ?? "", $0["type"]?.stringValue ?? "") }
        let definition = TabulatorDefinition(
            columns: columns, packagePattern: args.string("package_pattern") ?? "", logicalKeyPattern: args.string("logical_key_pattern") ?? "",
            format: args.string("parser_format") ?? "csv", delimiter: args.string("parser_delimiter"), header: args.bool("parser_header") ?? true,
            skipRows: args.int("parser_skip_rows") ?? 0, continueOnError: args.bool("continue_on_error") ?? false)
        try definition.validate()
        let registry = try bucketName(args, ctx)
        let tables = try await engine(ctx, "tabulator_table_create").setTabulatorTable(
            registry: registry, name: args.string("table_name") ?? "", config: definition.yaml)
        return encode(registry, tables)
    }

    static let tableDelete = Tool(
        ToolDefinition(
            name: "tabulator_table_delete", title: "Delete a Tabulator table",
            description: "Removes a table's definition from the bucket (the package files stay).",
            parameters: [bucket, table], annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true)),
        consent: { (args, _) throws(QuiltOpsError) in
            "Delete the Tabulator table '\(args.string("table_name") ?? "")' of \(args.string("bucket_name") ?? "the configured registry")? Queries that use it stop working."
        }
    ) { (args, ctx) throws(QuiltOpsError) in
        let registry = try bucketName(args, ctx)
        return encode(registry, try await engine(ctx, "tabulator_table_delete").setTabulatorTable(
            registry: registry, name: args.string("table_name") ?? "", config: nil))
    }

    static let tableRename = Tool(
        ToolDefinition(
            name: "tabulator_table_rename", title: "Rename a Tabulator table",
            description: "Gives a table a new name; queries must use the new one.",
            parameters: [
                bucket, table,
                Param("new_table_name", .string(pattern: nil, minLength: 1), "The new name (^[a-z_][a-z0-9_]*$).", required: true),
            ],
            annotations: ToolAnnotations(readOnly: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let registry = try bucketName(args, ctx)
        return encode(registry, try await engine(ctx, "tabulator_table_rename").renameTabulatorTable(
            registry: registry, name: args.string("table_name") ?? "", newName: args.string("new_table_name") ?? ""))
    }

    static let openQueryGet = Tool(
        ToolDefinition(
            name: "admin_tabulator_open_query_get", title: "Is Tabulator's open query on?",
            description: "Whether Tabulator tables can be queried from outside the catalog with AWS credentials alone (admins).",
            parameters: [], annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (_, ctx) throws(QuiltOpsError) in
        ["open_query_enabled": .bool(try await engine(ctx, "admin_tabulator_open_query_get").tabulatorOpenQuery())]
    }

    static let openQuerySet = Tool(
        ToolDefinition(
            name: "admin_tabulator_open_query_set", title: "Turn Tabulator's open query on or off",
            description: "Open query lets AWS principals query Tabulator tables outside the catalog, deferring access control to "
                + "AWS (admins).",
            parameters: [Param("enabled", .boolean, "On or off.", required: true)],
            annotations: ToolAnnotations(readOnly: false, idempotent: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        ["open_query_enabled": .bool(try await engine(ctx, "admin_tabulator_open_query_set").setTabulatorOpenQuery(args.bool("enabled") ?? false))]
    }

    static let listBuckets = Tool(
        ToolDefinition(
            name: "tabulator_list_buckets", title: "Buckets with Tabulator tables",
            description: "The databases of the stack's Tabulator data catalog in Athena: one per bucket.",
            parameters: [], annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (_, ctx) throws(QuiltOpsError) in
        let catalog = try await engine(ctx, "tabulator_list_buckets").tabulatorDataCatalog()
        let databases = try await AthenaTools.engine(ctx, "tabulator_list_buckets").listDatabases(catalog: catalog)
        return ["data_catalog_name": .string(catalog), "buckets": .array(databases.map { .string($0.name) }),
                "count": .number(JSONNumber(databases.count))]
    }

    static let queryExecute = Tool(
        ToolDefinition(
            name: "tabulator_query_execute", title: "SQL over Tabulator tables",
            description: "Read-only SQL over Tabulator tables. On a catalog: Athena in the stack's Tabulator data catalog, tables "
                + "\"bucket\".\"table\" (or name database_name). Without one: SQLite here over database_name's (default: the "
                + "configured registry's) tables, unqualified.",
            parameters: [
                Param("query", .string(pattern: nil, minLength: 1), "One SQL statement.", required: true),
                Param("database_name", .string(pattern: nil, minLength: 1), "A bucket (or registry), for unqualified table names."),
                AthenaTools.workgroup, AthenaTools.maxResults, AthenaTools.outputFormat,
            ],
            annotations: ToolAnnotations(readOnly: true)),
        pythonNames: PythonName.parquetOutput
    ) { (args, ctx) throws(QuiltOpsError) in
        try await run(args, ctx, "tabulator_query_execute", database: args.string("database_name"), field: "database_name")
    }

    static let bucketQuery = Tool(
        ToolDefinition(
            name: "tabulator_bucket_query", title: "SQL over one bucket's Tabulator tables",
            description: "tabulator_query_execute with the bucket as the database: SELECT * FROM read_counts LIMIT 10.",
            parameters: [
                bucket, Param("query", .string(pattern: nil, minLength: 1), "One SQL statement.", required: true),
                AthenaTools.workgroup, AthenaTools.maxResults, AthenaTools.outputFormat,
            ],
            annotations: ToolAnnotations(readOnly: true)),
        pythonNames: PythonName.parquetOutput
    ) { (args, ctx) throws(QuiltOpsError) in
        try await run(args, ctx, "tabulator_bucket_query", database: args.string("bucket_name"), field: "bucket_name")
    }

    /// Runs the statement: in this process where the tables are the registry's own, else in the Tabulator data
    /// catalog through the query engine (Athena).
    static func run(_ args: Arguments, _ ctx: ToolContext, _ operation: String, database: String?, field: String) async throws(QuiltOpsError) -> JSONValue {
        let tabulator = try engine(ctx, operation)
        if tabulator.tabulatorCapabilities.contains(.query) {
            let result = try await tabulator.queryTables(TabulatorQueryRequest(
                registry: try Common.registry(args, ctx, field: field), query: args.string("query") ?? "",
                maxRows: args.int("max_results") ?? 1000, progress: ctx.progress))
            return encode(result, format: args.string("output_format") ?? "json")
        }
        let catalog = try await tabulator.tabulatorDataCatalog()
        let result = try await AthenaTools.engine(ctx, operation).executeQuery(SQLQueryRequest(
            query: args.string("query") ?? "", database: try database.map { (d) throws(QuiltOpsError) in try catalogBucket(d, field: field) },
            catalog: catalog, workgroup: args.string("workgroup_name"), maxRows: args.int("max_results") ?? 1000, progress: ctx.progress))
        var answer = AthenaTools.encode(result, format: args.string("output_format") ?? "json")
        if case .object(var o) = answer {
            o["data_catalog_name"] = .string(catalog)
            answer = .object(o)
        }
        return answer
    }

    static let all = [tablesList, tableCreate, tableDelete, tableRename, listBuckets, queryExecute, bucketQuery, openQueryGet, openQuerySet]

    // MARK: - Helpers

    static func engine(_ ctx: ToolContext, _ operation: String) throws(QuiltOpsError) -> any TabulatorOps {
        guard let engine = ctx.tabulator else { throw .unsupported(operation: operation, backend: ctx.ops.backendID.rawValue) }
        return engine
    }

    /// The registry `bucket_name` names (read as every tool reads a registry), or the configured one.
    static func bucketName(_ args: Arguments, _ ctx: ToolContext) throws(QuiltOpsError) -> RegistryURL {
        try Common.registry(args, ctx, field: "bucket_name")
    }

    /// `s3://bucket` or `bucket` as the catalog's Athena names it (a database of the Tabulator data catalog).
    static func catalogBucket(_ text: String, field: String) throws(QuiltOpsError) -> String {
        let registry = try RegistryURL.userText(text, field: field)
        guard registry.kind == .s3 else {
            throw .invalidInput(field: field, reason: "'\(registry.url)' is not a catalog bucket (my-bucket or s3://my-bucket).")
        }
        return registry.location
    }

    static func encode(_ registry: RegistryURL, _ tables: [TabulatorTable]) -> JSONValue {
        [
            "bucket_name": .string(registry.kind == .s3 ? registry.location : registry.url),
            "tables": .array(tables.map { ["name": .string($0.name), "config": .string($0.config)] }),
            "count": .number(JSONNumber(tables.count)),
        ]
    }

    static func encode(_ r: TabulatorQueryResult, format: String) -> JSONValue {
        var o: JSONObject = ["engine": .string(r.engine), "dialect": .string(r.dialect), "registry": .string(r.registry.url)]
        AthenaTools.addRows(&o, r.columns, r.rows, truncated: r.truncated, format: format)
        o["tables"] = .array(r.tables.map { t -> JSONValue in
            [
                "name": .string(t.name), "revisions": .array(t.revisions.map(JSONValue.string)), "files": .number(JSONNumber(t.files)),
                "rows": .number(JSONNumber(t.rows)), "bytes": .number(JSONNumber(t.bytes)), "issues": .number(JSONNumber(t.issues)),
                "columns": AthenaTools.columns(t.columns),
            ]
        })
        return .object(o)
    }
}
