import QuiltContract
import QuiltJSON
import QuiltQuery
import QuiltTestSupport
import QuiltTools
import Testing

/// The Tabulator tools without a catalog: tables kept in the configured registry (no `bucket_name` needed) and
/// queried in this process; Athena-only tools say why they cannot answer.
@Suite("Tool layer: Tabulator on a registry without a catalog")
struct TabulatorToolTests {
    static func context(_ session: ToolSession) -> ToolContext {
        var context = ToolContext(ops: session.ops, defaultRegistry: session.registry)
        context.tabulator = RegistryTabulator(ops: session.ops, byteLimit: (1 << 20, "QUILT_MCP_MAX_OBJECT_BYTES"))
        return context
    }

    static func call(_ session: ToolSession, _ tool: String, _ arguments: String) async throws(ToolError) -> JSONValue {
        try await ToolCatalog.call(tool, arguments: ToolSession.object(arguments), context: context(session))
    }

    @Test("Create a table, query it with its added columns, as CSV too; rename and delete it", arguments: ToolBackend.writing)
    func lifecycle(_ backend: ToolBackend) async throws {
        try await withSession(backend) { session in
            for (name, text) in [("lab/a", "n,who\n1,x\n2,y\n"), ("lab/b", "n,who\n40,z\n")] {
                _ = try await session.seed("package_create", #"""
                    {"package_name": "\#(name)", "entries": [{"logical_key": "t/one.csv", "text": "\#(text.replacing("\n", with: "\\n"))"}]}
                    """#)
            }
            let made = try await Self.call(session, "tabulator_table_create", #"""
                {"table_name": "nums", "schema": [{"name": "n", "type": "INT"}, {"name": "who", "type": "STRING"}],
                 "package_pattern": "^lab/(?<lab>[a-z])$", "logical_key_pattern": "\\.csv$"}
                """#)
            #expect(made["count"] == 1 && made["tables"]?[0]?["name"] == "nums")
            #expect(made["bucket_name"]?.stringValue == session.registry.url)
            let answer = try await Self.call(session, "tabulator_query_execute", #"""
                {"query": "SELECT lab, sum(n) AS total, min(\"$pkg_name\") FROM nums GROUP BY lab ORDER BY lab"}
                """#)
            #expect(answer["rows"] == [["a", 3, "lab/a"], ["b", 40, "lab/b"]])
            #expect(answer["engine"] == "embedded" && answer["tables"]?[0]?["files"] == 2 && answer["tables"]?[0]?["rows"] == 3)
            let csv = try await Self.call(session, "tabulator_bucket_query", #"{"query": "SELECT who FROM nums ORDER BY n", "output_format": "csv"}"#)
            #expect(csv["csv"] == "who\r\nx\r\ny\r\nz\r\n")
            _ = try await Self.call(session, "tabulator_table_rename", #"{"table_name": "nums", "new_table_name": "numbers"}"#)
            let listed = try await Self.call(session, "tabulator_tables_list", "{}")
            #expect(listed["tables"]?[0]?["name"] == "numbers")
            let deleted = try await Self.call(session, "tabulator_table_delete", #"{"table_name": "numbers", "confirm": true}"#)
            #expect(deleted["count"] == 0)
        }
    }

    @Test("What only a catalog has is unsupported, naming why")
    func catalogOnly() async throws {
        try await withSession(ToolBackend(kind: .memory)) { session in
            for tool in ["tabulator_list_buckets", "admin_tabulator_open_query_get"] {
                do throws(ToolError) {
                    _ = try await Self.call(session, tool, "{}")
                    Issue.record("\(tool) answered without a catalog")
                } catch {
                    #expect(error.error.kind == "unsupported", "\(tool): \(error.error)")
                    #expect(error.error.message.contains("registry"), "\(tool): \(error.error.message)")
                }
            }
        }
    }
}
