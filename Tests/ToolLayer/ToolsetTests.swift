import QuiltContract
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// Toolsets (`--toolsets`, `QUILT_MCP_TOOLSETS`): a deployment serves the tools of the sets it names and refuses a
/// tool of another set by name, before the backend sees it.
@Suite("Tool layer: toolsets")
struct ToolsetTests {
    static let setting = "--toolsets, QUILT_MCP_TOOLSETS"

    @Test("Every tool is in exactly one toolset, and the sets partition the catalog in order")
    func partition() {
        let names = ToolCatalog.all.map(\.definition.name)
        #expect(Set(names).count == names.count)
        #expect(ToolCatalog.toolsets.flatMap { $0.tools.map(\.definition.name) } == names)
        for name in names { #expect(ToolCatalog.toolset(of: name) != nil, "\(name)") }
        #expect(ToolCatalog.toolsets.map(\.name) == ["packages", "objects", "search", "links", "query", "tabulator", "assist", "permissions", "curate", "admin"])
    }

    @Test("Calls that may compute for long (writes, SQL, Tabulator, curation, diffs) are told apart from the rest", arguments: [
        ("package_create", true), ("package_update", true), ("bucket_objects_put", true), ("package_query", true),
        ("tabulator_query_execute", true), ("admin_user_delete", true), ("package_diff", true),
        ("create_data_visualization", true),
        ("bucket_list", false), ("package_browse", false), ("search_catalog", false), ("no_such_tool", false),
    ])
    func computesLong(name: String, expected: Bool) {
        #expect(ToolCatalog.mayComputeLong(name) == expected)
    }

    @Test("served(toolsets:) keeps the named sets only, read-only filtering on top", arguments: [
        (["packages"], false, 8), (["packages"], true, 5), (["search", "objects"], false, 7), (["links"], true, 3),
    ] as [([String], Bool, Int)])
    func served(sets: [String], readOnly: Bool, count: Int) {
        let tools = ToolCatalog.served(readOnly: readOnly, toolsets: Set(sets))
        #expect(tools.count == count)
        #expect(tools.allSatisfy { sets.contains(ToolCatalog.toolset(of: $0.definition.name) ?? "") })
        #expect(ToolCatalog.served(readOnly: false, toolsets: nil).count == ToolCatalog.all.count)
    }

    @Test("A tool of a set not served is refused naming its set, the setting and the sets served")
    func refused() async throws {
        try await withSession(ToolBackend(kind: .memory)) { session in
            var context = ToolContext(ops: session.ops, defaultRegistry: session.registry)
            context.toolsets = (["packages"], Self.setting)
            do throws(ToolError) {
                _ = try await ToolCatalog.call("bucket_list", arguments: [:], context: context)
                Issue.record("bucket_list ran outside the served toolsets")
            } catch {
                let message = error.json["error"]?["message"]?.stringValue ?? ""
                #expect(error.error.kind == "invalid_input")
                #expect(message.contains("'objects'") && message.contains(Self.setting) && message.contains("is packages"), "\(message)")
            }
            let listed = try await ToolCatalog.call("packages_list", arguments: [:], context: context)
            #expect(listed["packages"]?.arrayValue != nil)
        }
    }
}
