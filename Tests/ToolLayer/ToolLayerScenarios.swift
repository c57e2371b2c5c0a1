import Foundation
import QuiltContract
import QuiltJSON
import Testing

/// The conformance scenarios that have a tool equivalent, run through `ToolCatalog.call` — the code path of the
/// MCP server and `quilt-mcp call` — on the registry engine over memory and local files (and read-only memory).
@Suite("Conformance scenarios through the tool layer")
struct ToolLayerScenarios {
    static let threeEntries = #"[{"logical_key": "a.txt", "text": "alpha"}, {"logical_key": "dir/b.txt", "text": "beta"}, {"logical_key": "dir/sub/c.txt", "text": "gamma", "meta": {"k": 1.5}}]"#

    @Test("create → browse (recursive and one level) → info agree", arguments: ToolBackend.all)
    func createBrowseInfo(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let created = try await s.seed("package_create", #"{"package_name": "t/round", "entries": \#(Self.threeEntries), "message": "first"}"#)
            let hash = try #require(created["top_hash"]?.stringValue)
            #expect(created["entry_count"]?.intValue == 3)
            let all = try await s.call("package_browse", #"{"package_name": "t/round"}"#)
            #expect(all["top_hash"]?.stringValue == hash)
            #expect(all["entries"]?.arrayValue?.compactMap { $0["logical_key"]?.stringValue } == ["a.txt", "dir/b.txt", "dir/sub/c.txt"])
            #expect(all["entries"]?[2]?["meta"] == .object(["user_meta": .object(["k": .number(JSONNumber(1.5))])]))
            let root = try await s.call("package_browse", #"{"package_name": "t/round", "recursive": false}"#)
            let rows = root["entries"]?.arrayValue ?? []
            #expect(rows.compactMap { $0["logical_key"]?.stringValue } == ["a.txt", "dir/"])
            #expect(rows.last?["type"] == "directory" && rows.last?["file_count"]?.intValue == 2)
            let info = try await s.call("package_info", #"{"package_name": "t/round"}"#)
            #expect(info["top_hash"]?.stringValue == hash)
            #expect(info["entry_count"]?.intValue == 3)
            #expect(info["total_bytes"]?.intValue == 14)
            #expect(info["message"] == "first")
        }
    }

    @Test("Metadata crosses the tools exactly: floats, big integers, order, null vs absent vs empty", arguments: ToolBackend.all)
    func metadataFidelity(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let meta = #"{"zeta": 1.0, "big": 123456789012345678901234567890, "alpha": {"b": null, "a": []}, "e": 1e-7}"#
            _ = try await s.seed("package_create", #"{"package_name": "m/exact", "entries": [], "metadata": \#(meta)}"#)
            let info = try await s.call("package_info", #"{"package_name": "m/exact"}"#)
            #expect(JSONWriter.compact(info["user_meta"] ?? .null) == JSONWriter.compact(try JSONParser.parse(meta)))
            _ = try await s.seed("package_create", #"{"package_name": "m/absent", "entries": []}"#)
            _ = try await s.seed("package_create", #"{"package_name": "m/empty", "entries": [], "metadata": {}}"#)
            let absent = try await s.call("package_info", #"{"package_name": "m/absent"}"#)
            let empty = try await s.call("package_info", #"{"package_name": "m/empty"}"#)
            #expect(absent["user_meta_present"] == false && absent["user_meta"] == .null)
            #expect(empty["user_meta_present"] == true && empty["user_meta"] == .object([:]))
            #expect(absent["top_hash"] != empty["top_hash"])
        }
    }

    @Test("package_versions lists revisions newest first; latest is tagged; tags resolve", arguments: ToolBackend.all)
    func versionsOrder(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            var hashes: [String] = []
            for i in 1...3 {
                let r = try await s.seed("package_create", #"{"package_name": "v/ord", "entries": [{"logical_key": "f", "text": "\#(i)"}], "force": true}"#)
                hashes.append(r["top_hash"]?.stringValue ?? "")
            }
            let versions = try await s.call("package_versions", #"{"package_name": "v/ord"}"#)
            let rows = versions["versions"]?.arrayValue ?? []
            #expect(rows.compactMap { $0["top_hash"]?.stringValue } == hashes.reversed())
            #expect(rows.first?["tags"] == ["latest"] && rows.first?["is_latest"] == true)
            let oldest = try #require(rows.last?["timestamps"]?[0]?.stringValue)
            let byTag = try await s.call("package_info", #"{"package_name": "v/ord", "tag": "\#(oldest)"}"#)
            #expect(byTag["top_hash"]?.stringValue == hashes[0])
        }
    }

    @Test("A unique hash prefix resolves; an ambiguous one lists the matches; unknown is not_found", arguments: ToolBackend.all)
    func hashPrefix(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            // Header-only revisions whose top hashes share the prefix 786252 (as in the conformance suite).
            let a = try await s.seed("package_create", #"{"package_name": "h/p", "entries": [], "message": "ambiguous-5596", "force": true}"#)
            let b = try await s.seed("package_create", #"{"package_name": "h/p", "entries": [], "message": "ambiguous-6552", "force": true}"#)
            #expect(a["top_hash"] == "7862529d44e4004c965bde1e309bf0f25af1b82b28fba11a872101c1dc413c27")
            #expect(b["top_hash"] == "78625270cc61b10cd97f66ee768fba9b97d7b09fe92a36dc9a2b2a3f843e93d2")
            let unique = try await s.call("package_info", #"{"package_name": "h/p", "top_hash": "7862529d"}"#)
            #expect(unique["top_hash"] == a["top_hash"])
            let ambiguous = await s.failure("package_info", #"{"package_name": "h/p", "top_hash": "786252"}"#)
            #expect(ambiguous?.kind == "invalid_input")
            #expect(ambiguous?.message.contains("7862529d44e4") == true && ambiguous?.message.contains("78625270cc61") == true)
            #expect(await s.failure("package_info", #"{"package_name": "h/p", "top_hash": "abcdef"}"#)?.kind == "not_found")
            let short = await s.failure("package_info", #"{"package_name": "h/p", "top_hash": "78625"}"#)
            #expect(short?.kind == "invalid_input")
        }
    }

    @Test("package_diff: added, deleted, modified by hash between two revisions", arguments: ToolBackend.all)
    func diff(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let r1 = try await s.seed("package_create", #"{"package_name": "d/x", "entries": [{"logical_key": "same", "text": "1"}, {"logical_key": "gone", "text": "2"}, {"logical_key": "edit", "text": "3"}]}"#)
            _ = try await s.seed("package_update", #"{"package_name": "d/x", "entries": [{"logical_key": "edit", "text": "33"}, {"logical_key": "new", "text": "4"}], "remove": ["gone"]}"#)
            let h1 = try #require(r1["top_hash"]?.stringValue)
            let d = try await s.call("package_diff", #"{"package1_name": "d/x", "package1_hash": "\#(h1.prefix(10))"}"#)
            #expect(d["added"]?.arrayValue?.compactMap { $0["logical_key"]?.stringValue } == ["new"])
            #expect(d["deleted"]?.arrayValue?.compactMap { $0["logical_key"]?.stringValue } == ["gone"])
            #expect(d["modified"]?.arrayValue?.compactMap { $0["logical_key"]?.stringValue } == ["edit"])
            #expect(d["from"]?["top_hash"]?.stringValue == h1)
        }
    }

    @Test("package_delete: one revision moves latest back; the whole package disappears", arguments: ToolBackend.writing)
    func delete(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let r1 = try await s.call("package_create", #"{"package_name": "x/del", "entries": [{"logical_key": "a", "text": "1"}]}"#)
            let r2 = try await s.call("package_create", #"{"package_name": "x/del", "entries": [{"logical_key": "b", "text": "2"}], "force": true}"#)
            let deleted = try await s.call("package_delete", #"{"package_name": "x/del", "top_hash": "\#(r2["top_hash"]?.stringValue ?? "")"}"#)
            #expect(deleted["latest"] == r1["top_hash"])
            #expect(try await s.call("package_info", #"{"package_name": "x/del"}"#)["top_hash"] == r1["top_hash"])
            _ = try await s.call("package_delete", #"{"package_name": "x/del"}"#)
            let listed = try await s.call("packages_list", "{}")
            #expect(listed["packages"]?.arrayValue?.isEmpty == true)
            #expect(await s.failure("package_browse", #"{"package_name": "x/del"}"#)?.kind == "not_found")
        }
    }

    @Test("packages_list pages are stable when a package is added between pages; prefix filters", arguments: ToolBackend.all)
    func pagination(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            for name in ["b/two", "a/one", "c/four"] {
                _ = try await s.seed("package_create", #"{"package_name": "\#(name)", "entries": []}"#)
            }
            let first = try await s.call("packages_list", #"{"limit": 2}"#)
            #expect(first["packages"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a/one", "b/two"])
            let cursor = try #require(first["next_cursor"]?.stringValue)
            _ = try await s.seed("package_create", #"{"package_name": "a/three", "entries": []}"#)
            _ = try await s.seed("package_create", #"{"package_name": "c/five", "entries": []}"#)
            let second = try await s.call("packages_list", #"{"limit": 2, "cursor": "\#(cursor)"}"#)
            #expect(second["packages"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["c/five", "c/four"])
            #expect(second["next_cursor"] == .null)
            let filtered = try await s.call("packages_list", #"{"prefix": "c/"}"#)
            #expect(filtered["packages"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["c/five", "c/four"])
        }
    }

    @Test("Typed errors: unknown tool and argument, bad name, missing package, writes refused read-only", arguments: ToolBackend.all)
    func typedErrors(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            if case .invalidInput(let field, _)? = await s.failure("no_such_tool", "{}") {
                #expect(field == "tool")
            } else {
                Issue.record("an unknown tool must be invalid_input")
            }
            if case .invalidInput(let field, _)? = await s.failure("packages_list", #"{"bogus": 1}"#) {
                #expect(field == "bogus")
            } else {
                Issue.record("an unknown argument must be invalid_input naming it")
            }
            if case .invalidInput(let field, _)? = await s.failure("package_info", #"{"package_name": "not a name"}"#) {
                #expect(field == "package_name")
            } else {
                Issue.record("a bad package name must be invalid_input")
            }
            #expect(await s.failure("package_info", #"{"package_name": "no/such"}"#)?.kind == "not_found")
            let write = await s.failure("package_create", #"{"package_name": "w/x", "entries": []}"#)
            if backend.writes {
                #expect(write == nil)
            } else {
                #expect(write?.kind == "unsupported")
                #expect(await s.failure("package_delete", #"{"package_name": "w/x"}"#)?.kind == "unsupported")
            }
        }
    }
}
