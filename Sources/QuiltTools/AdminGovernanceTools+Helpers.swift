import QuiltContract
import QuiltJSON

extension AdminGovernanceTools {
    /// The role named (or with id) `key`.
    static func findRole(_ key: String, _ admin: any AdminOps) async throws(QuiltOpsError) -> AdminRole {
        let roles = try await admin.roles()
        guard let found = roles.first(where: { $0.name == key }) ?? roles.first(where: { $0.id == key }) else {
            throw .notFound(.admin(kind: "role", name: "\(key) (roles: \(roles.map(\.name).joined(separator: ", ")))"))
        }
        return found
    }

    /// The policy titled (or with id) `key`.
    static func findPolicy(_ key: String, _ admin: any AdminOps) async throws(QuiltOpsError) -> AdminPolicy {
        let policies = try await admin.policies()
        guard let found = policies.first(where: { $0.title == key }) ?? policies.first(where: { $0.id == key }) else {
            throw .notFound(.admin(kind: "policy", name: "\(key) (policies: \(policies.map(\.title).joined(separator: ", ")))"))
        }
        return found
    }

    /// The ids of the `policies` argument's titles or ids; nil when it is not given.
    static func policyIDs(_ args: Arguments, _ admin: any AdminOps) async throws(QuiltOpsError) -> [String]? {
        guard let keys = args["policies"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
        return try await policyIDs(titles: keys, admin)
    }

    static func policyIDs(titles keys: [String], _ admin: any AdminOps) async throws(QuiltOpsError) -> [String] {
        guard !keys.isEmpty else { return [] }
        return try ids(keys, in: try await admin.policies(), field: "policies", noun: "policy", lister: "admin_policies_list") { p, key in
            p.title == key || p.id == key ? p.id : nil
        }
    }

    /// The ids of the `roles` argument's names or ids; nil when it is not given.
    static func roleIDs(_ args: Arguments, _ admin: any AdminOps) async throws(QuiltOpsError) -> [String]? {
        guard let keys = args["roles"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
        return try await roleIDs(names: keys, admin)
    }

    static func roleIDs(names keys: [String], _ admin: any AdminOps) async throws(QuiltOpsError) -> [String] {
        guard !keys.isEmpty else { return [] }
        return try ids(keys, in: try await admin.roles(), field: "roles", noun: "role", lister: "admin_roles_list") { r, key in
            r.name == key || r.id == key ? r.id : nil
        }
    }

    /// The id `match` finds among `items` for each of `keys`; `.invalidInput(field:)` naming the first it does not.
    static func ids<Item>(
        _ keys: [String], in items: [Item], field: String, noun: String, lister: String, match: (Item, String) -> String?
    ) throws(QuiltOpsError) -> [String] {
        try keys.map { (key) throws(QuiltOpsError) -> String in
            var found: String?
            for item in items where found == nil { found = match(item, key) }
            guard let id = found else {
                throw .invalidInput(field: field, reason: "no \(noun) '\(key)'; \(lister) names them.")
            }
            return id
        }
    }

    /// The `permissions` argument; nil when it is not given.
    static func bucketPermissions(_ args: Arguments) throws(QuiltOpsError) -> [AdminBucketPermission]? {
        guard let items = args["permissions"]?.arrayValue else { return nil }
        return try items.map { (item) throws(QuiltOpsError) -> AdminBucketPermission in
            guard let bucket = item["bucket"]?.stringValue, let level = item["level"]?.stringValue.flatMap(AdminBucketPermission.Level.init) else {
                throw .invalidInput(field: "permissions", reason: "each permission is {bucket, level READ or READ_WRITE}.")
            }
            return AdminBucketPermission(bucket: bucket, level: level)
        }
    }

    static func encode(_ p: AdminPolicy) -> JSONValue {
        [
            "id": .string(p.id), "title": .string(p.title), "arn": p.arn.map(JSONValue.string) ?? .null, "managed": .bool(p.managed),
            "permissions": .array(p.permissions.map { ["bucket": .string($0.bucket), "level": .string($0.level.rawValue)] }),
            "roles": .array(p.roles.map(JSONValue.string)),
        ]
    }

    static func encode(_ b: AdminBucket) -> JSONValue {
        let s = b.settings
        func text(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        func list(_ v: [String]?) -> JSONValue { v.map { .array($0.map(JSONValue.string)) } ?? .null }
        func number(_ v: Int?) -> JSONValue { v.map { .number(JSONNumber($0)) } ?? .null }
        return [
            "name": .string(b.name), "title": text(s.title), "description": text(s.description), "icon_url": text(s.iconURL),
            "overview_url": text(s.overviewURL), "tags": list(s.tags), "relevance_score": number(s.relevanceScore),
            "browsable": s.browsable.map(JSONValue.bool) ?? .null, "sns_notification_arn": text(s.snsNotificationARN),
            "scanner_parallel_shards_depth": number(s.scannerParallelShardsDepth),
            "skip_metadata_indexing": s.skipMetadataIndexing.map(JSONValue.bool) ?? .null,
            "file_extensions_to_index": list(s.fileExtensionsToIndex), "index_content_bytes": number(s.indexContentBytes),
            "prefixes": list(s.prefixes), "linked_data": s.linkedData ?? .null,
        ]
    }

    static func encode(_ k: AdminAPIKey) -> JSONValue {
        func text(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        return [
            "id": .string(k.id), "name": .string(k.name), "fingerprint": .string(k.fingerprint), "user_email": .string(k.userEmail),
            "created_at": text(k.createdAt), "expires_at": text(k.expiresAt), "last_used_at": text(k.lastUsedAt), "status": .string(k.status),
        ]
    }
}
