package import QuiltContract
import QuiltJSON

/// Reading and writing the governance types of the catalog's GraphQL, and its result unions as typed errors.
extension PlatformBackend {
    /// The success member of a result union, or the typed error its other member stands for. `subject` is what the
    /// call acted on (its kind and name, for `.notFound`); an `InvalidInput` or `OperationError` that says the
    /// subject does not exist (`…DoesNotExist`, `…NotFound` on `id`/`name`) is `.notFound` too. `idArgument` is the
    /// tool argument an `InvalidInput` on the catalog's `id` names (the policy tools take `policy`).
    static func typed(
        _ result: JSONValue?, _ operation: String, success: String, subject: (kind: String, name: String), idArgument: String = "id"
    ) throws(QuiltOpsError) -> JSONValue {
        guard let result, let type = result["__typename"]?.stringValue else {
            throw .remote("\(operation) answered without a result.", retryable: false)
        }
        if type == success { return result }
        if let error = refusal(type, result, subject) { throw error }
        let name = type == "InvalidInput" ? result["errors"]?[0]?["name"]?.stringValue : result["name"]?.stringValue
        let path = result["errors"]?[0]?["path"]?.stringValue ?? "id"
        if let name, name.hasSuffix("DoesNotExist") || name.hasSuffix("NotFound"), ["id", "name"].contains(path) {
            throw .notFound(.admin(kind: subject.kind, name: subject.name))
        }
        try adminResult(result, operation, idArgument: idArgument)
        throw .remote("\(operation) answered \(type), which this server does not know.", retryable: false)
    }

    /// The error a typed refusal member stands for (the role and bucket unions have one type per refusal).
    static func refusal(_ type: String, _ result: JSONValue, _ subject: (kind: String, name: String)) -> QuiltOpsError? {
        let name = subject.name
        switch type {
        case "RoleNameReserved": return .invalidInput(field: "name", reason: "'\(name)' is a role name the catalog reserves.")
        case "RoleNameInvalid":
            return .invalidInput(field: "name", reason: "'\(name)' is not a valid IAM role name (at most 64 of letters, digits and +=,.@_-).")
        case "RoleNameExists": return .conflict("a role named '\(name)' already exists.")
        case "RoleNameUsedBySsoConfig": return .conflict("the SSO configuration names this role; change the configuration first.")
        case "RoleDoesNotExist": return .notFound(.admin(kind: "role", name: name))
        case "RoleIsManaged": return .invalidInput(field: "role", reason: "'\(name)' is a managed role: give policies, not an ARN.")
        case "RoleIsUnmanaged": return .invalidInput(field: "role", reason: "'\(name)' is an unmanaged role: give its ARN, not policies.")
        case "RoleHasTooManyPoliciesToAttach": return .invalidInput(field: "policies", reason: "more policies than one IAM role can have attached.")
        case "RoleAssigned": return .conflict("users hold this role, or it is the default; give them another role (and another default) first.")
        case "SsoConfigConflict": return .conflict("an SSO configuration assigns roles; the default role cannot be set while one is stored.")
        case "BucketAlreadyAdded": return .conflict("bucket \(name) is already in the catalog.")
        case "BucketDoesNotExist", "BucketNotFound": return .notFound(.bucket(name))
        case "BucketFileExtensionsToIndexInvalid":
            return .invalidInput(field: "file_extensions_to_index", reason: "each extension starts with a dot, e.g. \".csv\".")
        case "BucketIndexContentBytesInvalid": return .invalidInput(field: "index_content_bytes", reason: "must be 0 to 1,048,576.")
        case "InsufficientPermissions": return .forbidden(result["message"]?.stringValue ?? "the catalog may not use this bucket.")
        case "SnsInvalid": return .invalidInput(field: "sns_notification_arn", reason: "not an SNS topic ARN (arn:aws:sns:…).")
        case "NotificationTopicNotFound": return .invalidInput(field: "sns_notification_arn", reason: "no such SNS topic.")
        case "SubscriptionInvalid": return .invalidInput(field: "sns_notification_arn", reason: "the catalog cannot subscribe to this topic.")
        case "NotificationConfigurationError":
            return .remote("the catalog could not configure the bucket's S3 notifications.", retryable: false)
        case "IndexingInProgress": return .conflict("the catalog is indexing bucket \(name); remove it when indexing is done.")
        default: return nil
        }
    }

    static func role(_ result: JSONValue?, _ operation: String, success: String, subject: String) throws(QuiltOpsError) -> AdminRole {
        let value = try typed(result, operation, success: success, subject: ("role", subject))
        guard let role = value["role"].flatMap(adminRole) else { throw .remote("\(operation) answered without the role.", retryable: false) }
        return role
    }

    static func changedPolicy(_ result: JSONValue?, _ operation: String, subject: String) throws(QuiltOpsError) -> AdminPolicy {
        let value = try typed(result, operation, success: "Policy", subject: ("policy", subject), idArgument: "policy")
        guard let policy = policy(value) else { throw .remote("\(operation) answered without the policy.", retryable: false) }
        return policy
    }

    static func roleInput(_ role: AdminRoleInput) -> JSONValue {
        switch role {
        case .managed(let name, let policies): ["name": .string(name), "policies": .array(policies.map(JSONValue.string))]
        case .unmanaged(let name, let arn): ["name": .string(name), "arn": .string(arn)]
        }
    }

    static func policyInput(_ policy: AdminPolicyInput) -> JSONValue {
        switch policy {
        case .managed(let title, let permissions, let roles):
            [
                "title": .string(title), "roles": .array(roles.map(JSONValue.string)),
                "permissions": .array(permissions.map { ["bucket": .string($0.bucket), "level": .string($0.level.rawValue)] }),
            ]
        case .unmanaged(let title, let arn, let roles):
            ["title": .string(title), "arn": .string(arn), "roles": .array(roles.map(JSONValue.string))]
        }
    }

    static func policy(_ value: JSONValue) -> AdminPolicy? {
        guard let id = value["id"]?.stringValue, let title = value["title"]?.stringValue else { return nil }
        let permissions = (value["permissions"]?.arrayValue ?? []).compactMap { p -> AdminBucketPermission? in
            guard let bucket = p["bucket"]?["name"]?.stringValue, let level = p["level"]?.stringValue.flatMap(AdminBucketPermission.Level.init) else {
                return nil
            }
            return AdminBucketPermission(bucket: bucket, level: level)
        }
        return AdminPolicy(
            id: id, title: title, arn: value["arn"]?.stringValue, managed: value["managed"]?.boolValue ?? false, permissions: permissions,
            roles: (value["roles"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
    }

    /// `BucketAddInput` / `BucketUpdateInput` fields for `settings` (nil settings are left out: the catalog's default).
    static func bucketInput(_ s: AdminBucketSettings) -> JSONObject {
        var o: JSONObject = [:]
        func put(_ key: String, _ value: JSONValue?) { if let value { o[key] = value } }
        put("title", s.title.map(JSONValue.string))
        put("description", s.description.map(JSONValue.string))
        put("iconUrl", s.iconURL.map(JSONValue.string))
        put("overviewUrl", s.overviewURL.map(JSONValue.string))
        put("tags", s.tags.map { .array($0.map(JSONValue.string)) })
        put("relevanceScore", s.relevanceScore.map { .number(JSONNumber($0)) })
        put("browsable", s.browsable.map(JSONValue.bool))
        put("snsNotificationArn", s.snsNotificationARN.map(JSONValue.string))
        put("scannerParallelShardsDepth", s.scannerParallelShardsDepth.map { .number(JSONNumber($0)) })
        put("skipMetaDataIndexing", s.skipMetadataIndexing.map(JSONValue.bool))
        put("fileExtensionsToIndex", s.fileExtensionsToIndex.map { .array($0.map(JSONValue.string)) })
        put("indexContentBytes", s.indexContentBytes.map { .number(JSONNumber($0)) })
        put("prefixes", s.prefixes.map { .array($0.map(JSONValue.string)) })
        put("linkedData", s.linkedData)
        return o
    }

    /// `current` with every setting `changes` gives.
    static func merged(_ current: AdminBucketSettings, with changes: AdminBucketSettings) -> AdminBucketSettings {
        var s = current
        s.title = changes.title ?? s.title
        s.description = changes.description ?? s.description
        s.iconURL = changes.iconURL ?? s.iconURL
        s.overviewURL = changes.overviewURL ?? s.overviewURL
        s.tags = changes.tags ?? s.tags
        s.relevanceScore = changes.relevanceScore ?? s.relevanceScore
        s.browsable = changes.browsable ?? s.browsable
        s.snsNotificationARN = changes.snsNotificationARN ?? s.snsNotificationARN
        s.scannerParallelShardsDepth = changes.scannerParallelShardsDepth ?? s.scannerParallelShardsDepth
        s.skipMetadataIndexing = changes.skipMetadataIndexing ?? s.skipMetadataIndexing
        s.fileExtensionsToIndex = changes.fileExtensionsToIndex ?? s.fileExtensionsToIndex
        s.indexContentBytes = changes.indexContentBytes ?? s.indexContentBytes
        s.prefixes = changes.prefixes ?? s.prefixes
        s.linkedData = changes.linkedData ?? s.linkedData
        return s
    }

    static func bucket(_ value: JSONValue?, _ operation: String) throws(QuiltOpsError) -> AdminBucket {
        guard let value, let name = value["name"]?.stringValue else { throw .remote("\(operation) answered without the bucket.", retryable: false) }
        func strings(_ key: String) -> [String]? { value[key]?.arrayValue?.compactMap(\.stringValue) }
        let linked = value["linkedData"].flatMap { $0.isNull ? nil : $0 }
        return AdminBucket(
            name: name,
            settings: AdminBucketSettings(
                title: value["title"]?.stringValue, description: value["description"]?.stringValue, iconURL: value["iconUrl"]?.stringValue,
                overviewURL: value["overviewUrl"]?.stringValue, tags: strings("tags"), relevanceScore: value["relevanceScore"]?.intValue,
                browsable: value["browsable"]?.boolValue, snsNotificationARN: value["snsNotificationArn"]?.stringValue,
                scannerParallelShardsDepth: value["scannerParallelShardsDepth"]?.intValue,
                skipMetadataIndexing: value["skipMetaDataIndexing"]?.boolValue, fileExtensionsToIndex: strings("fileExtensionsToIndex"),
                indexContentBytes: value["indexContentBytes"]?.intValue, prefixes: strings("prefixes"), linkedData: linked))
    }

    static func apiKey(_ value: JSONValue) -> AdminAPIKey? {
        guard let id = value["id"]?.stringValue, let name = value["name"]?.stringValue else { return nil }
        return AdminAPIKey(
            id: id, name: name, fingerprint: value["fingerprint"]?.stringValue ?? "", userEmail: value["userEmail"]?.stringValue ?? "",
            createdAt: value["createdAt"]?.stringValue, expiresAt: value["expiresAt"]?.stringValue, lastUsedAt: value["lastUsedAt"]?.stringValue,
            status: value["status"]?.stringValue ?? "")
    }

    static func eventRule(_ value: JSONValue) -> PackagerEventRule? {
        guard let name = value["name"]?.stringValue, let enabled = value["enabled"]?.boolValue else { return nil }
        return PackagerEventRule(name: name, enabled: enabled)
    }
}

extension AdminRoleInput {
    var isManaged: Bool { if case .managed = self { true } else { false } }
}

extension AdminPolicyInput {
    var isManaged: Bool { if case .managed = self { true } else { false } }
    var title: String {
        switch self {
        case .managed(let title, _, _), .unmanaged(let title, _, _): title
        }
    }
}
