import QuiltContract
import QuiltJSON
import QuiltTools
import Testing

/// Which calls destroy something, and the question each puts to the user (the server decides how to ask it).
@Suite("Tool layer: consent questions")
struct ConsentQuestionTests {
    static func question(_ s: ToolSession, _ tool: String, _ arguments: String) async -> String? {
        await ToolCatalog.consentQuestion(
            tool, arguments: ToolSession.object(arguments), context: ToolContext(ops: s.ops, defaultRegistry: s.registry))
    }

    @Test("Deleting a package or a revision always asks, naming what goes; confirm=true asks nothing",
          arguments: ToolBackend.writing)
    func delete(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let whole = try #require(await Self.question(s, "package_delete", #"{"package_name": "team/data"}"#))
            #expect(whole.contains("team/data") && whole.contains(s.registry.url) && whole.contains("every revision pointer"), "\(whole)")
            let one = try #require(await Self.question(s, "package_delete", #"{"package_name": "team/data", "tag": "1700000000"}"#))
            #expect(one.hasPrefix("Delete revision 1700000000 of team/data"), "\(one)")
            #expect(await Self.question(s, "package_delete", #"{"package_name": "team/data", "confirm": true}"#) == nil)
            #expect(await Self.question(s, "package_delete", #"{"package_name": "team/data", "confirm": false}"#) != nil)
        }
    }

    @Test("An update asks only when it removes entries or replaces metadata", arguments: ToolBackend.writing)
    func update(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            #expect(await Self.question(s, "package_update", #"{"package_name": "a/b", "entries": [{"logical_key": "x", "text": "y"}]}"#) == nil)
            let removal = try #require(await Self.question(s, "package_update", #"{"package_name": "a/b", "remove": ["d/", "e.csv"]}"#))
            #expect(removal.contains("without 2 entries (d/, e.csv)"), "\(removal)")
            let keys = (1...7).map { "\"k\($0)\"" }.joined(separator: ",")
            let many = try #require(await Self.question(s, "package_update", #"{"package_name": "a/b", "remove": [\#(keys)], "replace_metadata": true}"#))
            #expect(many.contains("7 entries (k1, k2, k3, k4, k5, …)") && many.contains("metadata replaced"), "\(many)")
        }
    }

    @Test("A put asks only when it would overwrite an object that exists, naming it", arguments: ToolBackend.writing)
    func put(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let items = #"{"items": [{"key": "in/a.txt", "text": "one"}, {"key": "in/b.txt", "text": "two"}]}"#
            #expect(await Self.question(s, "bucket_objects_put", items) == nil)
            _ = try await s.call("bucket_objects_put", #"{"items": [{"key": "in/a.txt", "text": "old"}]}"#)
            let overwrite = try #require(await Self.question(s, "bucket_objects_put", items))
            #expect(overwrite.hasPrefix("Overwrite 1 existing object (in/a.txt)"), "\(overwrite)")
        }
    }

    @Test("Tools that destroy nothing ask nothing, and only the asking tools take confirm")
    func nonDestructive() {
        let asking = ToolCatalog.all.filter { $0.consent != nil }.map(\.definition.name)
        #expect(asking == [
            "package_update", "package_delete", "bucket_objects_put", "tabulator_table_delete", "admin_user_delete",
            "admin_user_reset_password", "admin_sso_config_set", "admin_sso_config_remove", "admin_role_delete", "admin_policy_delete",
            "admin_bucket_remove", "admin_api_key_revoke",
        ])
        for tool in ToolCatalog.all {
            #expect(tool.definition.parameters.contains { $0.name == "confirm" } == (tool.consent != nil), "\(tool.definition.name)")
        }
    }
}
