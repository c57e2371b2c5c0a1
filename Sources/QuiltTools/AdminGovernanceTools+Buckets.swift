import QuiltContract
import QuiltJSON

/// Buckets, API keys and the packager's event rules (the `admin` toolset).
extension AdminGovernanceTools {
    /// The bucket settings a call may give, each as the catalog names it in snake case.
    static let bucketSettings: [Param] = [
        Param("description", .string(pattern: nil, minLength: 0), "Shown on the bucket's page."),
        Param("icon_url", .string(pattern: nil, minLength: 0), "An icon for the bucket."),
        Param("overview_url", .string(pattern: nil, minLength: 0), "A page the catalog links as the overview."),
        Param("tags", .stringArray(minItems: 0), "Tags."),
        Param("relevance_score", .integer(min: -1_000_000, max: 1_000_000), "Order among buckets (higher first)."),
        Param("browsable", .boolean, "Whether the bucket's files can be browsed by anyone who may read the bucket."),
        Param("sns_notification_arn", .string(pattern: nil, minLength: 0), "The SNS topic of the bucket's S3 events."),
        Param("scanner_parallel_shards_depth", .integer(min: 0, max: 100), "Indexing parallelism by key depth."),
        Param("skip_metadata_indexing", .boolean, "Do not index object metadata."),
        Param("file_extensions_to_index", .stringArray(minItems: 0), "Extensions whose contents are indexed, e.g. \".csv\"."),
        Param("index_content_bytes", .integer(min: 0, max: 1_048_576), "How many bytes of each file are indexed."),
        Param("prefixes", .stringArray(minItems: 0), "Only these key prefixes are in the catalog."),
    ]

    static func settings(_ args: Arguments) -> AdminBucketSettings {
        func strings(_ name: String) -> [String]? { args[name]?.arrayValue?.compactMap(\.stringValue) }
        return AdminBucketSettings(
            title: args.string("title"), description: args.string("description"), iconURL: args.string("icon_url"),
            overviewURL: args.string("overview_url"), tags: strings("tags"), relevanceScore: args.int("relevance_score"),
            browsable: args.bool("browsable"), snsNotificationARN: args.string("sns_notification_arn"),
            scannerParallelShardsDepth: args.int("scanner_parallel_shards_depth"), skipMetadataIndexing: args.bool("skip_metadata_indexing"),
            fileExtensionsToIndex: strings("file_extensions_to_index"), indexContentBytes: args.int("index_content_bytes"),
            prefixes: strings("prefixes"))
    }

    // MARK: - Buckets

    static let bucketAdd = AdminTools.tool(
        "admin_bucket_add", "Add a bucket to the catalog", "Adds an S3 bucket the catalog's role can use, with a title and any settings.",
        [bucketName, Param("title", .string(pattern: nil, minLength: 1), "The bucket's title in the catalog.", required: true)] + bucketSettings,
        ToolAnnotations(readOnly: false, destructive: false, idempotent: false)
    ) { args, admin throws(QuiltOpsError) in
        ["bucket": encode(try await admin.addBucket(args.string("name") ?? "", settings(args)))]
    }

    static let bucketUpdate = AdminTools.tool(
        "admin_bucket_update", "Change a catalog bucket", "Changes the settings given; the others stay as they are.",
        [bucketName, Param("title", .string(pattern: nil, minLength: 1), "A new title.")] + bucketSettings, changes
    ) { args, admin throws(QuiltOpsError) in
        ["bucket": encode(try await admin.updateBucket(args.string("name") ?? "", settings(args)))]
    }

    static let bucketRemove = Tool(
        ToolDefinition(
            name: "admin_bucket_remove", title: "Remove a bucket from the catalog",
            description: "The catalog stops showing and indexing the bucket; its objects stay in S3.", parameters: [bucketName], annotations: removes),
        consent: { (args, _) throws(QuiltOpsError) in
            "Remove \(args.string("name") ?? "") from the catalog? Its packages stop showing there; the objects stay in S3."
        }
    ) { (args, ctx) throws(QuiltOpsError) in
        let name = args.string("name") ?? ""
        try await AdminTools.engine(ctx, "admin_bucket_remove").removeBucket(name)
        return ["removed": .string(name)]
    }

    // MARK: - API keys

    static let apiKeysList = AdminTools.tool(
        "admin_api_keys_list", "API keys", "Every user's API keys (never their secrets): name, fingerprint, owner, dates, status.",
        [
            Param("email", .string(pattern: nil, minLength: 1), "Only this user's."), Param("name", .string(pattern: nil, minLength: 1), "Only keys of this name."),
            Param("fingerprint", .string(pattern: nil, minLength: 1), "Only this key."), Param("status", .string(pattern: "^(ACTIVE|EXPIRED)$", minLength: 1), "ACTIVE or EXPIRED."),
        ], ToolAnnotations(readOnly: true, idempotent: true)
    ) { args, admin throws(QuiltOpsError) in
        let keys = try await admin.apiKeys(AdminAPIKeyFilter(
            email: args.string("email"), name: args.string("name"), fingerprint: args.string("fingerprint"), status: args.string("status")))
        return ["api_keys": .array(keys.map(encode)), "count": .number(JSONNumber(keys.count))]
    }

    /// Creating a key answers its secret, which must reach a person and no model: only the command line shows it.
    static let apiKeyCreate = Tool(
        ToolDefinition(
            name: "admin_api_key_create", title: "Create an API key",
            description: "An API key for the caller. Its secret is shown once, so only `quilt-mcp call` in a terminal creates one; an MCP call is refused (the secret would enter the model's context).",
            parameters: [
                Param("name", .string(pattern: nil, minLength: 1), "The key's name.", required: true),
                Param("expires_in_days", .integer(min: 1, max: 365), "Days until it expires.", default: 90),
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        guard ctx.showsSecrets else {
            throw .unsupported(
                operation: "creating an API key over MCP (its secret would enter the model's context and the client's logs); run "
                    + "`quilt-mcp call admin_api_key_create '{\"name\": \"…\"}'` in a terminal, or use the catalog's API keys page",
                backend: "this server's MCP transport")
        }
        let made = try await AdminTools.engine(ctx, "admin_api_key_create").createAPIKey(
            name: args.string("name") ?? "", expiresInDays: args.int("expires_in_days") ?? 90)
        return ["api_key": encode(made.key), "secret": .string(made.secret), "note": "The secret is shown this once; store it now."]
    }

    static let apiKeyRevoke = Tool(
        ToolDefinition(
            name: "admin_api_key_revoke", title: "Revoke an API key", description: "Revokes any user's API key by id (admin_api_keys_list).",
            parameters: [Param("id", .string(pattern: nil, minLength: 1), "The key's id.", required: true)], annotations: removes),
        consent: { (args, _) throws(QuiltOpsError) in "Revoke the API key \(args.string("id") ?? "")? Whatever uses it stops working." }
    ) { (args, ctx) throws(QuiltOpsError) in
        let id = args.string("id") ?? ""
        try await AdminTools.engine(ctx, "admin_api_key_revoke").revokeAPIKey(id: id)
        return ["revoked": .string(id)]
    }

    // MARK: - Packager

    static let eventRulesList = AdminTools.tool(
        "admin_packager_event_rules_list", "Packager event rules", "The packager's event rules (what makes packages from bucket events) and whether each is on.",
        [], ToolAnnotations(readOnly: true, idempotent: true)
    ) { _, admin throws(QuiltOpsError) in
        let rules = try await admin.eventRules()
        return ["event_rules": .array(rules.map { ["name": .string($0.name), "enabled": .bool($0.enabled)] }), "count": .number(JSONNumber(rules.count))]
    }

    static let eventRuleSet = AdminTools.tool(
        "admin_packager_event_rule_set", "Turn a packager event rule on or off", "Turns one of the packager's event rules on or off.",
        [Param("name", .string(pattern: nil, minLength: 1), "The rule's name.", required: true), Param("enabled", .boolean, "On or off.", required: true)],
        changes
    ) { args, admin throws(QuiltOpsError) in
        let rule = try await admin.setEventRule(name: args.string("name") ?? "", enabled: args.bool("enabled") ?? false)
        return ["event_rule": ["name": .string(rule.name), "enabled": .bool(rule.enabled)]]
    }
}
