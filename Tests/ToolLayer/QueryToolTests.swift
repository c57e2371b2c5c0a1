import QuiltContract
import QuiltJSON
import QuiltQuery
import QuiltTestSupport
import QuiltTools
import Testing

/// `package_query` through the tool layer: arguments decoded and bounded by the schema, the answer's shape, and
/// `unsupported` where no engine was chosen.
@Suite("Tool layer: package_query")
struct QueryToolTests {
    static func context(_ session: ToolSession, engine: Bool = true) -> ToolContext {
        var context = ToolContext(ops: session.ops, defaultRegistry: session.registry)
        if engine { context.query = EmbeddedQueryEngine(ops: session.ops, byteLimit: (1 << 20, "QUILT_MCP_MAX_OBJECT_BYTES")) }
        return context
    }

    @Test("A query answers columns, rows, the engine and dialect, the revision and the tables it read",
          arguments: ToolBackend.all)
    func answers(_ backend: ToolBackend) async throws {
        try await withSession(backend) { session in
            _ = try await session.seed("package_create", #"""
                {"package_name": "tab/q", "entries": [{"logical_key": "d/s.csv", "text": "a,b\n1,x\n2,y\n3,\n"}], "message": "m"}
                """#)
            let result = try await ToolCatalog.call("package_query", arguments: ToolSession.object(#"""
                {"package_name": "tab/q", "query": "SELECT a, b FROM \"d/s.csv\" ORDER BY a DESC", "max_rows": 2}
                """#), context: Self.context(session))
            #expect(result["engine"] == "embedded")
            #expect(result["dialect"]?.stringValue?.hasPrefix("SQLite 3.") == true)
            #expect(result["columns"] == [["name": "a", "type": "INTEGER"], ["name": "b", "type": "TEXT"]])
            #expect(result["rows"] == [[3, nil], [2, "y"]])
            #expect(result["truncated"] == true && result["row_count"] == 2)
            #expect(result["tables"]?[0]?["name"] == "d/s.csv" && result["tables"]?[0]?["rows"] == 3)
            #expect(result["top_hash"]?.stringValue?.count == 64)
        }
    }

    @Test("JSON lines keep every value: a mixed column keeps numbers' and booleans' JSON spelling",
          arguments: [ToolBackend(kind: .memory)])
    func jsonLinesMixed(_ backend: ToolBackend) async throws {
        try await withSession(backend) { session in
            _ = try await session.seed("package_create", #"""
                {"package_name": "tab/j", "entries": [{"logical_key": "e.jsonl", "text": "{\"v\": 3}\n{\"v\": \"x\"}\n{\"v\": true}\n{\"v\": 2.5}\n{}\n"}]}
                """#)
            let result = try await ToolCatalog.call("package_query", arguments: ToolSession.object(#"""
                {"package_name": "tab/j", "query": "SELECT v, typeof(v) FROM \"e.jsonl\" ORDER BY rowid"}
                """#), context: Self.context(session))
            #expect(result["rows"] == [["3", "text"], ["x", "text"], ["true", "text"], ["2.5", "text"], [nil, "null"]])
        }
    }

    @Test("Without a query engine the tool is unsupported, never an empty answer; bad arguments name their field")
    func unsupportedAndArguments() async throws {
        try await withSession(ToolBackend(kind: .memory)) { session in
            do throws(ToolError) {
                _ = try await ToolCatalog.call("package_query", arguments: ["package_name": "a/b", "query": "SELECT 1"],
                                               context: Self.context(session, engine: false))
                Issue.record("package_query answered without an engine")
            } catch {
                #expect(error.error.kind == "unsupported")
            }
            for (arguments, field) in [
                (#"{"package_name": "a/b"}"#, "query"),
                (#"{"package_name": "a/b", "query": "SELECT 1", "max_rows": 0}"#, "max_rows"),
                (#"{"package_name": "a/b", "query": "SELECT 1", "tables": []}"#, "tables"),
            ] {
                do throws(ToolError) {
                    _ = try await ToolCatalog.call("package_query", arguments: ToolSession.object(arguments), context: Self.context(session))
                    Issue.record("\(arguments) was accepted")
                } catch {
                    if case .invalidInput(let f, _) = error.error { #expect(f == field, "\(arguments)") } else {
                        Issue.record("\(arguments): \(error.error)")
                    }
                }
            }
        }
    }
}
