package import QuiltContract
import QuiltJSON

/// Roles, policies, buckets, API keys and the packager's event rules, over the catalog's top-level admin mutations
/// (`roleCreateManaged` …, `policy…`, `bucketAdd` …), `admin.apiKeys`, `apiKeyCreate` and `admin.packager`.
/// The role and bucket results name each refusal by a type of its own (``refusal(_:_:)``).
extension PlatformBackend {
    // MARK: - Roles

    package func createRole(_ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole {
        try refuseWhenReadOnly("admin_role_create")
        let (operation, field) = role.isManaged ? (CatalogOperation.adminRoleCreateManaged, "roleCreateManaged") : (.adminRoleCreateUnmanaged, "roleCreateUnmanaged")
        let data = try await admin(operation, ["input": Self.roleInput(role)])
        return try Self.role(data[field], operation.name, success: "RoleCreateSuccess", subject: role.name)
    }

    package func updateRole(id: String, _ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole {
        try refuseWhenReadOnly("admin_role_update")
        let (operation, field) = role.isManaged ? (CatalogOperation.adminRoleUpdateManaged, "roleUpdateManaged") : (.adminRoleUpdateUnmanaged, "roleUpdateUnmanaged")
        let data = try await admin(operation, ["id": .string(id), "input": Self.roleInput(role)])
        return try Self.role(data[field], operation.name, success: "RoleUpdateSuccess", subject: id)
    }

    package func deleteRole(id: String) async throws(QuiltOpsError) {
        try refuseWhenReadOnly("admin_role_delete")
        let data = try await admin(.adminRoleDelete, ["id": .string(id)])
        _ = try Self.typed(data["roleDelete"], "AdminRoleDelete", success: "RoleDeleteSuccess", subject: ("role", id))
    }

    package func setDefaultRole(id: String) async throws(QuiltOpsError) -> AdminRole {
        try refuseWhenReadOnly("admin_role_set_default")
        let data = try await admin(.adminRoleSetDefault, ["id": .string(id)])
        var role = try Self.role(data["roleSetDefault"], "AdminRoleSetDefault", success: "RoleSetDefaultSuccess", subject: id)
        role.isDefault = true
        return role
    }

    // MARK: - Policies

    package func policies() async throws(QuiltOpsError) -> [AdminPolicy] {
        let data = try await admin(.adminPolicies)
        return (data["policies"]?.arrayValue ?? []).compactMap(Self.policy)
    }

    package func createPolicy(_ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy {
        try refuseWhenReadOnly("admin_policy_create")
        let (operation, field) = policy.isManaged
            ? (CatalogOperation.adminPolicyCreateManaged, "policyCreateManaged") : (.adminPolicyCreateUnmanaged, "policyCreateUnmanaged")
        let data = try await admin(operation, ["input": Self.policyInput(policy)])
        return try Self.changedPolicy(data[field], operation.name, subject: policy.title)
    }

    package func updatePolicy(id: String, _ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy {
        try refuseWhenReadOnly("admin_policy_update")
        let (operation, field) = policy.isManaged
            ? (CatalogOperation.adminPolicyUpdateManaged, "policyUpdateManaged") : (.adminPolicyUpdateUnmanaged, "policyUpdateUnmanaged")
        let data = try await admin(operation, ["id": .string(id), "input": Self.policyInput(policy)])
        return try Self.changedPolicy(data[field], operation.name, subject: id)
    }

    package func deletePolicy(id: String) async throws(QuiltOpsError) {
        try refuseWhenReadOnly("admin_policy_delete")
        let data = try await admin(.adminPolicyDelete, ["id": .string(id)])
        _ = try Self.typed(data["policyDelete"], "AdminPolicyDelete", success: "Ok", subject: ("policy", id), idArgument: "policy")
    }

    // MARK: - Buckets

    package func addBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket {
        try refuseWhenReadOnly("admin_bucket_add")
        guard settings.title?.isEmpty == false else { throw .invalidInput(field: "title", reason: "a bucket needs a title in the catalog.") }
        try await refuseUnknownSettings(settings)
        var input = Self.bucketInput(settings)
        input["name"] = .string(name)
        let data = try await admin(.adminBucketAdd, ["input": .object(input)])
        let result = try Self.typed(data["bucketAdd"], "AdminBucketAdd", success: "BucketAddSuccess", subject: ("bucket", name))
        return try Self.bucket(result["bucketConfig"], "AdminBucketAdd")
    }

    package func updateBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket {
        try refuseWhenReadOnly("admin_bucket_update")
        try await refuseUnknownSettings(settings)
        // The catalog replaces every setting: send the ones asked changed and the rest as they are now.
        let current = try await admin(.adminBucket, ["name": .string(name)])
        guard let config = current["bucketConfig"], !config.isNull else { throw .notFound(.bucket(name)) }
        let merged = Self.merged(try Self.bucket(config, "AdminBucket").settings, with: settings)
        let data = try await admin(.adminBucketUpdate, ["name": .string(name), "input": .object(Self.bucketInput(merged))])
        let result = try Self.typed(data["bucketUpdate"], "AdminBucketUpdate", success: "BucketUpdateSuccess", subject: ("bucket", name))
        return try Self.bucket(result["bucketConfig"], "AdminBucketUpdate")
    }

    package func removeBucket(_ name: String) async throws(QuiltOpsError) {
        try refuseWhenReadOnly("admin_bucket_remove")
        let data = try await admin(.adminBucketRemove, ["name": .string(name)])
        _ = try Self.typed(data["bucketRemove"], "AdminBucketRemove", success: "BucketRemoveSuccess", subject: ("bucket", name))
    }

    // MARK: - API keys

    package func apiKeys(_ filter: AdminAPIKeyFilter) async throws(QuiltOpsError) -> [AdminAPIKey] {
        try await requireAdminPart(\.adminAPIKeys, "API keys", since: "Quilt's 2026-06 schema")
        let variables: JSONObject = [
            "email": Self.optional(filter.email), "name": Self.optional(filter.name), "fingerprint": Self.optional(filter.fingerprint),
            "status": Self.optional(filter.status),
        ]
        let data = try await admin(.adminAPIKeys, variables)
        return (data["admin"]?["apiKeys"]?["list"]?.arrayValue ?? []).compactMap(Self.apiKey)
    }

    package func createAPIKey(name: String, expiresInDays: Int) async throws(QuiltOpsError) -> CreatedAPIKey {
        try refuseWhenReadOnly("admin_api_key_create")
        try await requireAdminPart(\.adminAPIKeys, "API keys", since: "Quilt's 2026-06 schema")
        let data = try await admin(.adminAPIKeyCreate, ["input": ["name": .string(name), "expiresInDays": .number(JSONNumber(expiresInDays))]])
        let result = try Self.typed(data["apiKeyCreate"], "AdminAPIKeyCreate", success: "APIKeyCreated", subject: ("API key", name))
        guard let key = result["apiKey"].flatMap(Self.apiKey), let secret = result["secret"]?.stringValue else {
            throw .remote("AdminAPIKeyCreate answered without the key or its secret.", retryable: false)
        }
        return CreatedAPIKey(key: key, secret: secret)
    }

    package func revokeAPIKey(id: String) async throws(QuiltOpsError) {
        try refuseWhenReadOnly("admin_api_key_revoke")
        try await requireAdminPart(\.adminAPIKeys, "API keys", since: "Quilt's 2026-06 schema")
        let data = try await admin(.adminAPIKeyRevoke, ["id": .string(id)])
        _ = try Self.typed(data["admin"]?["apiKeys"]?["revoke"], "AdminAPIKeyRevoke", success: "Ok", subject: ("API key", id))
    }

    // MARK: - Packager

    package func eventRules() async throws(QuiltOpsError) -> [PackagerEventRule] {
        try await requireAdminPart(\.adminPackager, "the packager's event rules", since: "Quilt's 2025-07 schema")
        let data = try await admin(.adminEventRules)
        return (data["admin"]?["packager"]?["eventRules"]?.arrayValue ?? []).compactMap(Self.eventRule)
    }

    package func setEventRule(name: String, enabled: Bool) async throws(QuiltOpsError) -> PackagerEventRule {
        try refuseWhenReadOnly("admin_packager_event_rule_set")
        try await requireAdminPart(\.adminPackager, "the packager's event rules", since: "Quilt's 2025-07 schema")
        let data = try await admin(.adminEventRuleToggle, ["name": .string(name), "enabled": .bool(enabled)])
        let result = try Self.typed(
            data["admin"]?["packager"]?["toggleEventRule"], "AdminEventRuleToggle", success: "PackagerEventRule", subject: ("event rule", name))
        guard let rule = Self.eventRule(result) else { throw .remote("AdminEventRuleToggle answered without the rule.", retryable: false) }
        return rule
    }

    // MARK: - Helpers

    /// `.unsupported` where this catalog's schema lacks a part of administration.
    func requireAdminPart(_ feature: KeyPath<SchemaFeatures, Bool>, _ what: String, since: String) async throws(QuiltOpsError) {
        guard try await schemaFeatures()[keyPath: feature] else {
            throw .unsupported(operation: what, backend: "this catalog (\(what) are new in \(since))")
        }
    }

    /// `.invalidInput(field: "prefixes")` where the catalog's buckets have no prefixes (before 2026-06).
    func refuseUnknownSettings(_ settings: AdminBucketSettings) async throws(QuiltOpsError) {
        if settings.prefixes != nil, try await !schemaFeatures().bucketPrefixes {
            throw .invalidInput(field: "prefixes", reason: "this catalog's buckets have no prefixes (new in Quilt's 2026-06 schema).")
        }
    }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
