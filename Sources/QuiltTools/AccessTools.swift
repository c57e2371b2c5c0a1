import QuiltContract
import QuiltJSON

/// Who the caller is and what it may do with buckets (the `permissions` toolset, off by default), with the Python
/// server's tool and parameter names.
enum AccessTools {
    static let all = [discoverPermissions, checkBucketAccess]

    static let discoverPermissions = Tool(
        ToolDefinition(
            name: "discover_permissions", title: "Who am I and what can I reach",
            description: "The caller's AWS identity (STS) and catalog user and role, the buckets it can find, and per bucket list, location, versioning and policy-status probes. Each probe says the call made and its outcome; nothing is written.",
            parameters: [
                Param("check_buckets", .stringArray(minItems: 0), "Buckets to probe; default those found (ListBuckets, the catalog, the configured registry)."),
                Param("include_cross_account", .boolean, "Also probe buckets found outside the account's own listing.", default: false),
                Param("force_refresh", .boolean, "Accepted; every call probes afresh (nothing is cached).", default: false).pythonOnly(),
            ],
            annotations: ToolAnnotations(readOnly: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        let access = try engine(ctx, "discover_permissions")
        let asked = args["check_buckets"]?.arrayValue?.compactMap(\.stringValue)
        if let asked, asked.count > 100 {
            throw .invalidInput(field: "check_buckets", reason: "names \(asked.count) buckets; probe at most 100 per call.")
        }
        let report = try await access.discoverPermissions(
            buckets: asked?.isEmpty == true ? nil : asked, includeOthers: args.bool("include_cross_account") ?? false)
        var out: JSONObject = [
            "identity_probes": .array(report.identityProbes.map(probe)),
            "aws_identity": report.aws.map { a in
                ["account": optional(a.account), "arn": optional(a.arn), "user_id": optional(a.userId)]
            } ?? .null,
            "catalog_user": report.catalogUser.map { u in
                ["name": optional(u.name), "role": optional(u.role), "is_admin": u.admin.map(JSONValue.bool) ?? .null]
            } ?? .null,
            "bucket_probes": .array(report.bucketProbes.map(probe)),
            "buckets": .array(report.buckets.map(bucket)),
        ]
        out["count"] = .number(JSONNumber(report.buckets.count))
        return .object(out)
    }

    static let operations = AccessOperation.allCases.map(\.rawValue)

    static let checkBucketAccess = Tool(
        ToolDefinition(
            name: "check_bucket_access", title: "Check access to a bucket",
            description: "Probes one bucket (or registry): its location, and list and read by default; write only when asked (one object written and that version removed). Each probe says the call made and allowed, denied, failed or skipped.",
            parameters: [
                Param("bucket", .string(pattern: nil, minLength: 1), "Bucket name, s3://bucket, or a registry URL.", required: true),
                Param("operations", .stringArray(minItems: 1), "Any of list, read, write; default list, read."),
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let access = try engine(ctx, "check_bucket_access")
        let names = args["operations"]?.arrayValue?.compactMap(\.stringValue) ?? ["list", "read"]
        var chosen = Set<AccessOperation>()
        for name in names {
            guard let op = AccessOperation(rawValue: name) else {
                throw .invalidInput(field: "operations", reason: "'\(name)' is not one of \(operations.joined(separator: ", ")).")
            }
            chosen.insert(op)
        }
        var out = bucket(try await access.checkBucketAccess(bucket: args.string("bucket") ?? "", operations: chosen))
        if case .object(var o) = out {
            o["operations"] = .array(names.map { .string($0) })
            out = .object(o)
        }
        return out
    }

    static func engine(_ ctx: ToolContext, _ tool: String) throws(QuiltOpsError) -> any AccessOps {
        guard let access = ctx.access else { throw .unsupported(operation: tool, backend: ctx.ops.backendID.rawValue) }
        return access
    }

    static func probe(_ p: AccessProbe) -> JSONValue {
        var o: JSONObject = ["check": .string(p.check), "how": .string(p.how), "outcome": .string(p.outcome.rawValue)]
        if let d = p.detail { o["detail"] = .string(d) }
        return .object(o)
    }

    static func bucket(_ b: BucketAccess) -> JSONValue {
        var o: JSONObject = ["bucket": .string(b.bucket), "registry": .string(b.registry.url)]
        if !b.sources.isEmpty { o["found_by"] = .array(b.sources.map { .string($0) }) }
        for op in AccessOperation.allCases { if let outcome = b.outcome(op.rawValue) { o[op.rawValue] = .string(outcome.rawValue) } }
        o["probes"] = .array(b.probes.map(probe))
        return .object(o)
    }

    static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
}
