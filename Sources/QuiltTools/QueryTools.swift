import QuiltContract
import QuiltJSON

/// Tools that run SQL over package data (the `query` toolset, off by default).
enum QueryTools {
    static let packageQuery = Tool(
        ToolDefinition(
            name: "package_query", title: "SQL over a package's tables",
            description: "Read-only SQL over one revision's CSV, TSV and JSON-lines files, each a table named by its "
                + "logical key: SELECT sum(units) FROM \"data/sales.csv\". Answers columns, rows, truncated, and the engine "
                + "and dialect (SQLite) that ran it. Parquet is refused by name.",
            parameters: [
                Common.packageName, Param("query", .string(pattern: nil, minLength: 1), "One SELECT/WITH statement.", required: true),
                Common.registry, Common.topHash, Common.tag,
                Param("tables", .stringArray(minItems: 1), "Logical keys to load first; default: those the query names."),
                Param("max_rows", .integer(min: 1, max: PageRequest.maxLimit), "Most rows returned.", default: .number(JSONNumber(1000))),
                Param("max_bytes", .integer(min: 1, max: Int(Int32.max)), "Most file bytes read; default: the server's limit."),
            ],
            annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        guard let engine = ctx.query else {
            throw .unsupported(operation: "package_query", backend: ctx.ops.backendID.rawValue)
        }
        guard let query = args.string("query") else { throw .invalidInput(field: "query", reason: "is required.") }
        let result = try await engine.packageQuery(PackageQueryRequest(
            package: try Common.package(args), registry: try Common.registry(args, ctx), revision: try Common.revision(args),
            query: query, tables: args["tables"]?.arrayValue?.compactMap(\.stringValue), maxRows: args.int("max_rows") ?? 1000,
            maxBytes: args.int("max_bytes").map(Int64.init)))
        return encode(result)
    }

    static func encode(_ r: QueryResult) -> JSONValue {
        func columns(_ list: [QueryResult.Column]) -> JSONValue {
            .array(list.map { ["name": .string($0.name), "type": .string($0.type)] })
        }
        return [
            "engine": .string(r.engine), "dialect": .string(r.dialect),
            "package_name": .string(r.revision.name.rawValue), "registry": .string(r.revision.registry.url),
            "top_hash": .string(r.revision.hash.rawValue),
            "columns": columns(r.columns), "rows": .array(r.rows.map { .array($0) }),
            "row_count": .number(JSONNumber(r.rows.count)), "truncated": .bool(r.truncated),
            "tables": .array(r.tables.map { t -> JSONValue in
                [
                    "name": .string(t.name), "format": .string(t.format), "rows": .number(JSONNumber(t.rows)),
                    "bytes": .number(JSONNumber(t.bytes)), "columns": columns(t.columns),
                ]
            }),
        ]
    }
}
