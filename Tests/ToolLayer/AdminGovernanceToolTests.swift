import Foundation
import QuiltContract
import QuiltJSON
import QuiltTools
import Testing

/// The role, policy, bucket, API-key and event-rule tools through `ToolCatalog.call`, on the fake catalog as an admin.
@Suite("Admin tools: governance")
struct AdminGovernanceToolTests {
    typealias T = AdminToolTests

    @Test("Roles and policies by name: an update changes only what it is given")
    func rolesAndPolicies() async throws {
        try await T.withCatalog { ctx in
            let role = try await T.call(ctx, "admin_role_create", #"{"name": "Curators", "policies": ["Read every bucket"]}"#)
            #expect(role["role"]?["type"] == "managed", "\(role)")
            let renamed = try await T.call(ctx, "admin_role_update", #"{"role": "Curators", "new_name": "Stewards"}"#)
            #expect(renamed["role"]?["name"] == "Stewards")
            let roles = try await T.call(ctx, "admin_roles_list")
            #expect(roles["roles"]?.arrayValue?.first { $0["name"] == "Stewards" }?["policies"] == ["Read every bucket"], "policies kept: \(roles)")
            let policy = try await T.call(
                ctx, "admin_policy_create",
                #"{"title": "Curate", "permissions": [{"bucket": "admin-tools-bucket", "level": "READ_WRITE"}], "roles": ["Stewards"]}"#)
            #expect(policy["policy"]?["roles"] == ["Stewards"] && policy["policy"]?["permissions"]?[0]?["level"] == "READ_WRITE", "\(policy)")
            let retitled = try await T.call(ctx, "admin_policy_update", #"{"policy": "Curate", "title": "Curate all"}"#)
            #expect(retitled["policy"]?["title"] == "Curate all" && retitled["policy"]?["roles"] == ["Stewards"], "roles kept: \(retitled)")
            let wrongKind = await T.failure(ctx, "admin_policy_update", #"{"policy": "Curate all", "arn": "arn:aws:iam::123456789012:policy/x"}"#)
            #expect(wrongKind.map { if case .invalidInput("arn", _) = $0 { true } else { false } } == true, "\(String(describing: wrongKind))")
            #expect(await T.failure(ctx, "admin_role_update", #"{"role": "Nobody"}"#)?.kind == "not_found")
            let unknown = await T.failure(ctx, "admin_role_create", #"{"name": "Other", "policies": ["No such policy"]}"#)
            #expect(unknown.map { if case .invalidInput("policies", _) = $0 { true } else { false } } == true, "\(String(describing: unknown))")
            #expect(try await T.call(ctx, "admin_policy_delete", #"{"policy": "Curate all", "confirm": true}"#)["deleted"] == "Curate all")
            #expect(try await T.call(ctx, "admin_role_delete", #"{"role": "Stewards", "confirm": true}"#)["deleted"] == "Stewards")
        }
    }

    @Test("Buckets: added, updated (settings not given stay), removed after consent")
    func buckets() async throws {
        try await T.withCatalog { ctx in
            let added = try await T.call(ctx, "admin_bucket_add", #"{"name": "tool-bucket", "title": "Tools", "description": "d", "tags": ["t"]}"#)
            #expect(added["bucket"]?["title"] == "Tools" && added["bucket"]?["tags"] == ["t"], "\(added)")
            let updated = try await T.call(ctx, "admin_bucket_update", #"{"name": "tool-bucket", "relevance_score": 5}"#)
            #expect(updated["bucket"]?["relevance_score"] == 5 && updated["bucket"]?["description"] == "d" && updated["bucket"]?["title"] == "Tools")
            let question = await ToolCatalog.consentQuestion("admin_bucket_remove", arguments: ["name": "tool-bucket"], context: ctx)
            #expect(question?.contains("tool-bucket") == true)
            #expect(try await T.call(ctx, "admin_bucket_remove", #"{"name": "tool-bucket", "confirm": true}"#)["removed"] == "tool-bucket")
        }
    }

    @Test("API keys: listed; a key is created only where answers reach a person (the command line), never over MCP")
    func apiKeys() async throws {
        try await T.withCatalog { ctx in
            let listed = try await T.call(ctx, "admin_api_keys_list", #"{"status": "ACTIVE"}"#)
            #expect(listed["count"] == 1 && listed["api_keys"]?[0]?["name"] == "dashboards", "\(listed)")
            let refused = await T.failure(ctx, "admin_api_key_create", #"{"name": "ci"}"#)
            #expect(refused?.kind == "unsupported" && refused?.message.contains("quilt-mcp call") == true, "\(String(describing: refused))")
            #expect(try await T.call(ctx, "admin_api_keys_list", #"{"name": "ci"}"#)["count"] == 0, "nothing was created")
            var terminal = ctx
            terminal.showsSecrets = true
            let made = try await T.call(terminal, "admin_api_key_create", #"{"name": "ci", "expires_in_days": 7}"#)
            #expect(made["secret"]?.stringValue?.hasPrefix("qk_") == true && made["api_key"]?["status"] == "ACTIVE")
            let id = try #require(made["api_key"]?["id"]?.stringValue)
            #expect(try await T.call(ctx, "admin_api_key_revoke", #"{"id": "\#(id)", "confirm": true}"#)["revoked"] == .string(id))
        }
    }

    @Test("Packager event rules: listed and set")
    func eventRules() async throws {
        try await T.withCatalog { ctx in
            #expect(try await T.call(ctx, "admin_packager_event_rules_list")["count"] == 2)
            let set = try await T.call(ctx, "admin_packager_event_rule_set", #"{"name": "readme-on-push", "enabled": false}"#)
            #expect(set["event_rule"]?["enabled"] == false)
        }
    }
}
