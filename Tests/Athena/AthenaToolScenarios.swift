import QuiltAthena
import FakeCatalog
import QuiltContract
import QuiltHTTP
import QuiltPlatform
import QuiltJSON
import QuiltQuery
import QuiltS3
import QuiltRegistry
import QuiltStorage
import QuiltTestSupport
import QuiltTools
import Testing

/// The athena_* tools through the tool layer, with the Athena engine beside the embedded one as the server pairs
/// them (``QueryEngineSet``), against moto (replayed).
@Suite("Athena tools: arguments, output formats, validation and errors", .serialized)
struct AthenaToolScenarios {
    func context(_ session: AthenaSession) throws -> ToolContext {
        let registry = try RegistryURL.memory("athena-tools")
        let ops = RegistryEngine(
            backendID: "memory", resolver: LocalStorageResolver(memory: MemoryStoragePool(), files: .allowed), knownRegistries: [registry])
        var context = ToolContext(ops: ops, defaultRegistry: registry)
        context.query = QueryEngineSet([
            EmbeddedQueryEngine(ops: ops, byteLimit: (1 << 20, "max_object_bytes")), session.engine,
        ])
        return context
    }

    func call(_ name: String, _ arguments: JSONObject, _ context: ToolContext) async throws -> JSONValue {
        try await ToolCatalog.call(name, arguments: arguments, context: context)
    }

    @Test("athena_query_execute answers JSON rows, CSV and Markdown; validate and the catalog tools answer by name")
    func toolsAnswer() async throws {
        let s = try AthenaSession.make("tools.answers", region: "eu-north-1")
        var failed = true
        defer { if failed { Task { try? await s.finish(true) } } }
        let ctx = try context(s)
        try await s.createWorkgroup("QuiltWorkgroup", outputLocation: "s3://results/tools/")
        let columns = [("city", "varchar"), ("people", "bigint")]
        let rows: [[String?]] = [["city", "people"], ["Oslo, NO", "709037"], ["Bergen", nil]]
        try await s.queueResult(columns: columns, rows: rows)
        let json = try await call("athena_query_execute", ["query": "SELECT city, people FROM towns", "database_name": "geo"], ctx)
        #expect(json["engine"] == "athena")
        #expect(json["workgroup"] == "QuiltWorkgroup")
        #expect(json["rows"] == [["Oslo, NO", 709037], ["Bergen", nil]])
        #expect(json["row_count"] == 2)
        #expect(json["truncated"] == false)

        try await s.queueResult(columns: columns, rows: rows)
        let csv = try await call("athena_query_execute", ["query": "SELECT city, people FROM towns", "output_format": "csv"], ctx)
        #expect(csv["csv"] == "city,people\r\n\"Oslo, NO\",709037\r\nBergen,\r\n")
        try await s.queueResult(columns: columns, rows: rows)
        let table = try await call("athena_query_execute", ["query": "SELECT city, people FROM towns", "output_format": "table"], ctx)
        #expect(table["table"] == "| city | people |\n| --- | --- |\n| Oslo, NO | 709037 |\n| Bergen |  |")

        let ok = try await call("athena_query_validate", ["query": "WITH t AS (SELECT 1) SELECT * FROM t"], ctx)
        #expect(ok["valid"] == true)
        let no = try await call("athena_query_validate", ["query": "DROP TABLE towns"], ctx)
        #expect(no["valid"] == false)
        #expect(no["reason"]?.stringValue?.contains("DROP is not a read") == true)

        let groups = try await call("athena_workgroups_list", [:], ctx)
        #expect(groups["workgroups"]?.arrayValue?.contains { $0["name"] == "QuiltWorkgroup" && $0["output_location"] == "s3://results/tools/" } == true)

        // A write is refused by the engine before anything is sent; the tool says which argument and why.
        do {
            _ = try await call("athena_query_execute", ["query": "INSERT INTO towns VALUES ('x', 1)"], ctx)
            Issue.record("the write was run")
        } catch let error as ToolError {
            #expect(error.error.kind == "invalid_input")
            #expect(error.error.message.contains("INSERT is not a read"))
        }
        failed = false
        try await s.finish(false)
    }

    @Test("The Tabulator query tools run in the stack's Tabulator data catalog (named from the catalog's config), the bucket as database")
    func tabulatorQueries() async throws {
        let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["test-bucket"], variant: .head))
        defer { catalog.stop() }
        let platform = PlatformBackend(configuration: PlatformConfiguration(
            catalogURL: catalog.url, registryURL: nil, bearerToken: try await catalog.mintToken(), transport: LiveHTTPTransport.shared,
            retry: .none, s3Endpoint: HTTPURL(catalog.s3Endpoint), s3Retry: .none, readOnly: false, serverFiles: .allowed,
            directory: CatalogDirectory(), contents: ContentsCache()))
        let s = try AthenaSession.make("tools.tabulator", region: "eu-west-3")
        var failed = true
        defer { if failed { Task { try? await s.finish(true) } } }
        var ctx = try context(s)
        ctx.tabulator = platform
        func call(_ name: String, _ args: JSONObject) async throws -> JSONValue { try await ToolCatalog.call(name, arguments: args, context: ctx) }
        try await s.createWorkgroup("QuiltWorkgroup", outputLocation: "s3://results/tabulator/")
        try await s.queueResult(columns: [("sample_id", "varchar"), ("reads", "bigint")], rows: [["sample_id", "reads"], ["s1", "120"]])
        let answer = try await call("tabulator_bucket_query", ["bucket_name": "s3://test-bucket", "query": "SELECT * FROM read_counts"])
        #expect(answer["data_catalog_name"] == "quilt-fake-stack-tabulator")
        #expect(answer["rows"] == [["s1", 120]])
        let history = try await s.engine.queryHistory(workgroup: "QuiltWorkgroup", limit: 5)
        #expect(history.first?.database == "test-bucket")
        // The stack's Tabulator catalog is a Lambda data catalog of the account; without it the answer says so.
        let missing = await #expect(throws: ToolError.self) { _ = try await call("tabulator_list_buckets", [:]) }
        #expect(missing?.error.kind == "not_found" && missing?.error.message.contains("quilt-fake-stack-tabulator") == true)
        _ = try await s.athena.call("CreateDataCatalog", [
            "Name": "quilt-fake-stack-tabulator", "Type": "LAMBDA",
            "Parameters": ["function": "arn:aws:lambda:eu-west-3:123456789012:function:tabulator"],
        ])
        let buckets = try await call("tabulator_list_buckets", [:])
        #expect(buckets["data_catalog_name"] == "quilt-fake-stack-tabulator" && buckets["count"] == 0)
        failed = false
        try await s.finish(false)
    }
}
