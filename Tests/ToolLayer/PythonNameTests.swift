import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// The Python quilt-mcp server's tool and parameter names (0.20–0.22, `Fixtures/python-server/tools.json`, derived
/// from the server itself by `Fixtures/python-server/surface.py`): each one this server serves takes every one of
/// its parameter names, with its meaning or refused with a hint — never ignored.
@Suite("The Python server's tool and parameter names")
struct PythonNameTests {
    /// Tools this server declines, with the reason in docs/guide/python-server.md.
    static let declined: Set<String> = [
        "workflow_create", "workflow_add_step", "workflow_update_step", "workflow_delete", "workflow_template_apply",
        "search_docs_quilt_bio", "catalog_configure",
    ]
    /// Tools still to come (catalog administration).
    static let notYet: Set<String> = []

    static func pythonTools() throws -> JSONObject {
        let path = Executables.repositoryRoot + "/Fixtures/python-server/tools.json"
        let json = try JSONParser.parse(String(contentsOfFile: path, encoding: .utf8))
        return try #require(json["tools"]?.objectValue)
    }

    @Test("Every Python tool is served, declined or listed as still to come; a served one takes every Python parameter name")
    func surface() throws {
        let tools = try Self.pythonTools()
        #expect(tools.count >= 56)
        for name in tools.keys.sorted() {
            guard let tool = ToolCatalog.tool(named: name) else {
                #expect(Self.declined.contains(name) || Self.notYet.contains(name), "\(name) is neither served nor accounted for")
                continue
            }
            #expect(!Self.declined.contains(name) && !Self.notYet.contains(name), "\(name) is served: take it off the lists")
            let ours = Set(tool.definition.parameters.map(\.name))
            for (param, facts) in tools[name]?["params"]?.objectValue ?? [:] {
                let isInternal = facts["internal"] == true
                switch tool.pythonNames[param] {
                case .onlyNull?:
                    #expect(isInternal, "\(name).\(param) is taken only as null but is not internal there")
                case .some:
                    break
                case nil:
                    #expect(ours.contains(param) && !isInternal, "\(name) does not take the Python parameter '\(param)'")
                }
            }
        }
    }

    @Test("A Python-only parameter costs nothing in tools/list, and refusals name the Python parameter and what to use")
    func hiddenAndRefused() async throws {
        let browse = try #require(ToolCatalog.tool(named: "package_browse"))
        let listed = browse.definition.inputSchema["properties"]?.objectValue?.keys.sorted() ?? []
        #expect(!listed.contains("top") && !listed.contains("max_depth") && !listed.contains("include_file_info"))
        try await withSession(ToolBackend(kind: .memory)) { s in
            for (tool, arguments, field, says) in [
                ("search_catalog", #"{"query": "x", "scope": "packageEntry"}"#, "scope", "package_browse"),
                ("search_explain", #"{"query": "x", "scope": "packageEntry"}"#, "scope", "scope=file"),
                ("athena_query_execute", #"{"query": "SELECT 1", "output_format": "parquet"}"#, "output_format", "csv"),
                ("athena_tables_list", #"{"database": "d", "service": {"x": 1}}"#, "service", "omit it"),
                ("tabulator_table_create", #"{"table_name": "t", "description": "d"}"#, "description", "leave it out"),
                ("tabulator_tables_list", #"{"bucket": "my-bucket", "bucket_name": "other-bucket"}"#, "bucket", "pass only 'bucket_name'"),
                ("package_browse", #"{"package_name": "a/b", "max_depth": 2}"#, "max_depth", "0...1"),
                ("package_browse", #"{"package_name": "a/b", "max_depth": 1, "recursive": true}"#, "max_depth", "recursive"),
            ] {
                let failure = await s.failure(tool, arguments)
                guard case .invalidInput(let f, let reason)? = failure else {
                    Issue.record("\(tool) \(arguments): \(String(describing: failure))")
                    continue
                }
                #expect(f == field && reason.contains(says), "\(tool): \(reason)")
            }
            // Null for a leaked internal parameter, and a renamed one, are taken: these fail later, for want of an
            // engine, not for their names.
            for (tool, arguments) in [
                ("athena_tables_list", #"{"database": "d", "service": null}"#), ("tabulator_tables_list", #"{"bucket": "my-bucket"}"#),
            ] {
                let failure = await s.failure(tool, arguments)
                #expect(failure?.kind == "unsupported", "\(tool): \(String(describing: failure))")
            }
        }
    }

    @Test("package_browse: top, max_depth and include_file_info mean what they meant there", arguments: ToolBackend.all)
    func browse(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            _ = try await s.seed(
                "package_create",
                #"{"package_name": "py/browse", "entries": [{"logical_key": "a.csv", "text": "1"}, {"logical_key": "d/b.csv", "text": "22"}, {"logical_key": "d/e/c.csv", "text": "333"}]}"#)
            let top = try await s.call("package_browse", #"{"package_name": "py/browse", "top": 2}"#)
            #expect(top["count"] == 2 && top["next_cursor"]?.stringValue != nil, "\(top)")
            let unlimited = try await s.call("package_browse", #"{"package_name": "py/browse", "top": 0}"#)
            #expect(unlimited["count"] == 3)
            let level = try await s.call("package_browse", #"{"package_name": "py/browse", "max_depth": 1}"#)
            #expect(level["entries"]?.arrayValue?.compactMap { $0["logical_key"]?.stringValue } == ["a.csv", "d/"], "\(level)")
            let bare = try await s.call("package_browse", #"{"package_name": "py/browse", "include_file_info": false}"#)
            let first = try #require(bare["entries"]?[0]?.objectValue)
            #expect(first["size"] == nil && first["hash"] == nil && first["meta"] == nil && first["logical_key"] == "a.csv")
            let full = try await s.call("package_browse", #"{"package_name": "py/browse", "include_file_info": true}"#)
            #expect(full["entries"]?[0]?["size"] == 1)
        }
    }

    @Test("search_catalog: backend, include_metadata, explain_query and count_only", arguments: ToolBackend.all)
    func search(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            _ = try await s.seed(
                "package_create",
                #"{"package_name": "py/cells", "entries": [{"logical_key": "cells.csv", "text": "1"}], "metadata": {"stain": "DAPI"}}"#)
            let plain = try await s.call("search_catalog", #"{"query": "cells", "scope": "package", "backend": "elasticsearch"}"#)
            #expect(plain["hits"]?[0]?["user_meta"] == nil && plain["explanation"] == nil)
            let meta = try await s.call("search_catalog", #"{"query": "cells", "scope": "package", "include_metadata": true}"#)
            #expect(meta["hits"]?[0]?["user_meta"] == ["stain": "DAPI"], "\(meta)")
            let explained = try await s.call("search_catalog", #"{"query": "cells", "explain_query": true}"#)
            #expect(explained["explanation"]?["words"] == ["cells"] && explained["hits"]?.arrayValue?.isEmpty == false)
            let counted = try await s.call("search_catalog", #"{"query": "cells", "count_only": true}"#)
            #expect(counted["total"] == 2 && counted["hits"] == nil, "\(counted)")
        }
    }

    @Test("search_explain reads a query as the backend would, without searching", arguments: ToolBackend.all)
    func explain(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let e = try await s.call("search_explain", #"{"query": "RNA  seq", "scope": "file"}"#)
            #expect(e["explanation"]?["words"] == ["rna", "seq"])
            #expect(e["explanation"]?["registries"] == [.string(s.registry.url)])
            #expect(e["explanation"]?["matching"]?.objectValue?.keys.sorted() == ["objects"])
            let empty = await s.failure("search_explain", #"{"query": "  "}"#)
            #expect(empty.map { if case .invalidInput(let f, _) = $0 { f == "query" } else { false } } == true)
        }
    }

    @Test("search_suggest: names and keys, metadata fields and scopes from what the backend holds", arguments: ToolBackend.all)
    func suggest(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            _ = try await s.seed(
                "package_create",
                #"{"package_name": "lab/zebrafish", "entries": [{"logical_key": "zebra.csv", "text": "1"}], "metadata": {"species": "Danio"}}"#)
            let all = try await s.call("search_suggest", #"{"partial_query": "zebr", "limit": 20}"#)
            let rows = all["suggestions"]?.arrayValue ?? []
            func texts(_ type: String) -> [String] { rows.filter { $0["type"] == .string(type) }.compactMap { $0["text"]?.stringValue } }
            #expect(texts("package") == ["lab/zebrafish"], "\(all)")
            #expect(texts("key").contains { $0.hasSuffix("zebra.csv") })
            #expect(texts("metadata") == ["species"])
            #expect(texts("scope") == ["scope=package", "scope=file"])
            let scopes = try await s.call("search_suggest", #"{"partial_query": "zebr", "suggestion_types": ["scope"]}"#)
            #expect(scopes["suggestions"]?.arrayValue?.allSatisfy { $0["type"] == "scope" } == true)
            #expect(scopes["suggestions"]?[0]?["total"] == 1)
            let bad = await s.failure("search_suggest", #"{"partial_query": "z", "suggestion_types": ["nope"]}"#)
            #expect(bad.map { if case .invalidInput(let f, _) = $0 { f == "suggestion_types" } else { false } } == true)
        }
    }
}
