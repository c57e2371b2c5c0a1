import FoundationEssentials
import QuiltContract
import QuiltJSON

/// Athena and Glue (in the `query` toolset, off by default), with the Python server's tool and parameter names.
enum AthenaTools {
    static let catalog = Param("data_catalog_name", .string(pattern: nil, minLength: 1), "Data catalog.", default: "AwsDataCatalog")
    static let workgroup = Param("workgroup_name", .string(pattern: nil, minLength: 1), "Workgroup; default: configured, else discovered.")
    static let outputFormat = Param(
        "output_format", .string(pattern: nil, minLength: 1), "Rows as JSON, CSV text or a Markdown table.", default: "json",
        enum: ["json", "csv", "table"])
    static let maxResults = Param(
        "max_results", .integer(min: 1, max: PageRequest.maxLimit), "Most rows returned.", default: .number(JSONNumber(1000)))

    static let queryExecute = Tool(
        ToolDefinition(
            name: "athena_query_execute", title: "Run SQL on Athena",
            description: "Runs one read-only statement (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN) on Athena and returns its "
                + "rows. A query still running after wait_seconds returns its execution_id for athena_query_results; more "
                + "rows than max_results return a cursor. Quote names with hyphens: \"my-db\".\"table\".",
            parameters: [
                Param("query", .string(pattern: nil, minLength: 1), "One SQL statement.", required: true),
                Param("database_name", .string(pattern: nil, minLength: 1), "Database for unqualified table names."),
                workgroup, catalog, maxResults,
                outputFormat,
                Param("wait_seconds", .integer(min: 0, max: 600), "How long to wait for the result.", default: .number(JSONNumber(60))),
            ],
            annotations: ToolAnnotations(readOnly: true)),
        pythonNames: PythonName.athenaService.merging(PythonName.parquetOutput) { a, _ in a }
    ) { (args, ctx) throws(QuiltOpsError) in
        let engine = try engine(ctx, "athena_query_execute")
        let result = try await engine.executeQuery(SQLQueryRequest(
            query: args.string("query") ?? "", database: args.string("database_name"), catalog: args.string("data_catalog_name"),
            workgroup: args.string("workgroup_name"), maxRows: args.int("max_results") ?? 1000,
            wait: .seconds(args.int("wait_seconds") ?? 60), progress: ctx.progress))
        return encode(result, format: args.string("output_format") ?? "json")
    }

    static let queryResults = Tool(
        ToolDefinition(
            name: "athena_query_results", title: "Fetch an Athena query's rows",
            description: "The state and rows of an execution athena_query_execute started: pass its execution_id, and the "
                + "cursor it returned for the next page.",
            parameters: [
                Param("execution_id", .string(pattern: nil, minLength: 1), "The query's execution id.", required: true),
                Param("cursor", .string(pattern: nil, minLength: 1), "From the previous page."),
                maxResults,
                outputFormat,
            ],
            annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        let result = try await engine(ctx, "athena_query_results").queryResults(
            executionID: args.string("execution_id") ?? "", cursor: args.string("cursor"), maxRows: args.int("max_results") ?? 1000)
        return encode(result, format: args.string("output_format") ?? "json")
    }

    static let queryValidate = Tool(
        ToolDefinition(
            name: "athena_query_validate", title: "Check SQL before running it",
            description: "Says whether this deployment would run a statement on Athena (one read-only statement) and why "
                + "not, without sending it.",
            parameters: [Param("query", .string(pattern: nil, minLength: 1), "One SQL statement.", required: true)],
            annotations: ToolAnnotations(readOnly: true, idempotent: true, openWorld: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let engine = try engine(ctx, "athena_query_validate")
        do throws(QuiltOpsError) {
            try engine.vetStatement(args.string("query") ?? "")
            return ["valid": true, "engine": "athena"]
        } catch .invalidInput(_, let reason) {
            return ["valid": false, "engine": "athena", "reason": .string(reason)]
        }
    }

    static let databasesList = Tool(
        ToolDefinition(
            name: "athena_databases_list", title: "List Athena databases",
            description: "The databases of a data catalog (Glue's for AwsDataCatalog).", parameters: [catalog],
            annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        let list = try await engine(ctx, "athena_databases_list").listDatabases(catalog: args.string("data_catalog_name"))
        return ["databases": .array(list.map { d in
            var o: JSONObject = ["name": .string(d.name), "data_catalog_name": .string(d.catalog)]
            if let text = d.description, !text.isEmpty { o["description"] = .string(text) }
            return .object(o)
        }), "count": .number(JSONNumber(list.count))]
    }

    static let tablesList = Tool(
        ToolDefinition(
            name: "athena_tables_list", title: "List tables of a database",
            description: "Tables of one database, with their columns; table_pattern filters names (* any run, ? one character).",
            parameters: [
                Param("database", .string(pattern: nil, minLength: 1), "Database name.", required: true), catalog,
                Param("table_pattern", .string(pattern: nil, minLength: 1), "Name pattern, e.g. sales_*."),
            ],
            annotations: ToolAnnotations(readOnly: true, idempotent: true)),
        pythonNames: PythonName.athenaService
    ) { (args, ctx) throws(QuiltOpsError) in
        let tables = try await engine(ctx, "athena_tables_list").listTables(
            database: args.string("database") ?? "", catalog: args.string("data_catalog_name"), pattern: args.string("table_pattern"))
        return ["tables": .array(tables.map(table)), "count": .number(JSONNumber(tables.count))]
    }

    static let tableSchema = Tool(
        ToolDefinition(
            name: "athena_table_schema", title: "A table's columns",
            description: "One table's columns, partition columns, type and data location.",
            parameters: [
                Param("database", .string(pattern: nil, minLength: 1), "Database name.", required: true),
                Param("table", .string(pattern: nil, minLength: 1), "Table name.", required: true), catalog,
            ],
            annotations: ToolAnnotations(readOnly: true, idempotent: true)),
        pythonNames: PythonName.athenaService
    ) { (args, ctx) throws(QuiltOpsError) in
        table(try await engine(ctx, "athena_table_schema").tableSchema(
            database: args.string("database") ?? "", table: args.string("table") ?? "", catalog: args.string("data_catalog_name")))
    }

    static let workgroupsList = Tool(
        ToolDefinition(
            name: "athena_workgroups_list", title: "List Athena workgroups",
            description: "Workgroups visible to the caller, with state, output location and engine version where readable.",
            parameters: [], annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (_, ctx) throws(QuiltOpsError) in
        let groups = try await engine(ctx, "athena_workgroups_list").listWorkgroups()
        return ["workgroups": .array(groups.map { g in
            var o: JSONObject = ["name": .string(g.name), "state": .string(g.state)]
            if let v = g.description, !v.isEmpty { o["description"] = .string(v) }
            if let v = g.outputLocation { o["output_location"] = .string(v) }
            if let v = g.engineVersion { o["engine_version"] = .string(v) }
            return .object(o)
        }), "count": .number(JSONNumber(groups.count))]
    }

    static let queryHistory = Tool(
        ToolDefinition(
            name: "athena_query_history", title: "Recent Athena queries",
            description: "Recent executions in a workgroup, newest first, with state, failure reason and bytes scanned.",
            parameters: [workgroup, Param("max_results", .integer(min: 1, max: 500), "Most executions.", default: .number(JSONNumber(20)))],
            annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        let list = try await engine(ctx, "athena_query_history").queryHistory(
            workgroup: args.string("workgroup_name"), limit: args.int("max_results") ?? 20)
        return ["executions": .array(list.map { e in
            var o: JSONObject = ["execution_id": .string(e.executionID), "state": .string(e.state), "query": .string(e.query)]
            if let v = e.reason { o["reason"] = .string(v) }
            if let v = e.database { o["database"] = .string(v) }
            if let v = e.workgroup { o["workgroup"] = .string(v) }
            if let v = e.submitted { o["submitted"] = ResultEncoding.date(v) }
            if let v = e.scannedBytes { o["scanned_bytes"] = .number(JSONNumber(v)) }
            if let v = e.engineMilliseconds { o["engine_ms"] = .number(JSONNumber(v)) }
            return .object(o)
        }), "count": .number(JSONNumber(list.count))]
    }

    static let all = [queryExecute, queryResults, queryValidate, databasesList, tablesList, tableSchema, workgroupsList, queryHistory]

    // MARK: - Helpers

    static func engine(_ ctx: ToolContext, _ operation: String) throws(QuiltOpsError) -> any QueryOps {
        guard let engine = ctx.query else { throw .unsupported(operation: operation, backend: ctx.ops.backendID.rawValue) }
        return engine
    }

    static func table(_ t: SQLTable) -> JSONValue {
        var o: JSONObject = [
            "name": .string(t.name), "database": .string(t.database), "data_catalog_name": .string(t.catalog),
            "columns": columns(t.columns),
        ]
        if !t.partitionColumns.isEmpty { o["partition_columns"] = columns(t.partitionColumns) }
        if let v = t.type { o["table_type"] = .string(v) }
        if let v = t.location { o["location"] = .string(v) }
        if let v = t.created { o["created"] = ResultEncoding.date(v) }
        return .object(o)
    }

    /// `columns`, the rows as `output_format` asks (`rows` as JSON, `csv`, or a Markdown `table`), `row_count` and
    /// `truncated`: the body every SQL answer shares.
    static func addRows(_ o: inout JSONObject, _ cols: [QueryResult.Column], _ rows: [[JSONValue]], truncated: Bool, format: String) {
        o["columns"] = columns(cols)
        switch format {
        case "csv": o["csv"] = .string(TextTable.csv(cols.map(\.name), rows))
        case "table": o["table"] = .string(TextTable.markdown(cols.map(\.name), rows))
        default: o["rows"] = .array(rows.map { .array($0) })
        }
        o["row_count"] = .number(JSONNumber(rows.count))
        o["truncated"] = .bool(truncated)
    }

    static func columns(_ list: [QueryResult.Column]) -> JSONValue {
        .array(list.map { ["name": .string($0.name), "type": .string($0.type)] })
    }

    /// The result with its rows as JSON arrays, CSV text (RFC 4180) or a Markdown table.
    static func encode(_ r: SQLQueryResult, format: String) -> JSONValue {
        var o: JSONObject = [
            "engine": .string(r.engine), "dialect": .string(r.dialect), "execution_id": .string(r.executionID),
            "state": .string(r.state), "workgroup": .string(r.workgroup),
        ]
        guard r.state == "SUCCEEDED" else {
            o["message"] = .string(
                r.state == "CANCELLED" ? "The query was cancelled; it has no rows."
                    : "Still \(r.state.lowercased()); call athena_query_results with this execution_id for its rows.")
            return .object(o)
        }
        addRows(&o, r.columns, r.rows, truncated: r.truncated, format: format)
        if let v = r.nextCursor { o["cursor"] = .string(v) }
        if let v = r.scannedBytes { o["scanned_bytes"] = .number(JSONNumber(v)) }
        if let v = r.engineMilliseconds { o["engine_ms"] = .number(JSONNumber(v)) }
        if let v = r.outputLocation { o["output_location"] = .string(v) }
        return .object(o)
    }
}

/// Rows as text for people: CSV and Markdown.
enum TextTable {
    static func text(_ cell: JSONValue) -> String {
        switch cell {
        case .null: return ""
        case .string(let s): return s
        default: return JSONWriter.compact(cell)
        }
    }

    static func csv(_ header: [String], _ rows: [[JSONValue]]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacing("\"", with: "\"\"") + "\"" : s
        }
        return ([header.map(field).joined(separator: ",")] + rows.map { $0.map { field(text($0)) }.joined(separator: ",") })
            .joined(separator: "\r\n") + "\r\n"
    }

    static func markdown(_ header: [String], _ rows: [[JSONValue]]) -> String {
        func cell(_ s: String) -> String { s.replacing("|", with: "\\|").replacing("\n", with: " ") }
        var lines = ["| " + header.map(cell).joined(separator: " | ") + " |", "|" + String(repeating: " --- |", count: header.count)]
        lines += rows.map { "| " + $0.map { cell(text($0)) }.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }
}
