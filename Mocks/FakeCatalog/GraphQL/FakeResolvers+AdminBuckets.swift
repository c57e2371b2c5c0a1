import Foundation
import QuiltJSON

/// Buckets, as admins manage them: `bucketAdd`, `bucketUpdate`, `bucketRemove` (admins only; refusals are the result
/// unions' members), and `BucketConfig`'s admin-only fields, which refuse anyone else when selected. An added bucket
/// joins the catalog (listed, and usable for packages); a removed one leaves it, its objects kept for a later add.
extension FakeResolvers {
    static let adminBuckets: [String: FakeResolver] = {
        var r: [String: FakeResolver] = [
            "Mutation.bucketAdd": { _, args, req in
                _ = try admin(req)
                let input = try object(args, "input")
                let name = try string(input, "name")
                if req.state.hasBucket(name) { return member("BucketAlreadyAdded") }
                guard FakeBucketSettings.validName(name) else { return member("BucketDoesNotExist") }
                if let refusal = FakeBucketSettings.problem(input) { return member(refusal) }
                req.state.bucketSettings.add(name, input)
                try req.state.addBucket(name)
                return Typed("BucketAddSuccess", ["bucketConfig": .object(bucketConfig(name, req.state))] as JSONObject)
            },
            "Mutation.bucketUpdate": { _, args, req in
                _ = try admin(req)
                let name = try string(args, "name"), input = try object(args, "input")
                guard req.state.hasBucket(name) else { return member("BucketNotFound") }
                if let refusal = FakeBucketSettings.problem(input) { return member(refusal) }
                var current = bucketConfig(name, req.state)
                _ = current.removeValue(forKey: "tabulatorTables")
                req.state.bucketSettings.update(name, input, current: current)
                return Typed("BucketUpdateSuccess", ["bucketConfig": .object(bucketConfig(name, req.state))] as JSONObject)
            },
            "Mutation.bucketRemove": { _, args, req in
                _ = try admin(req)
                return req.state.removeBucket(try string(args, "name")) ? member("BucketRemoveSuccess") : member("BucketNotFound")
            },
            "BucketConfig.prefixes": { s, _, req in
                _ = try admin(req)
                return sourceObject(s)?["prefixes"].nonNull ?? .array([])
            },
            "BucketConfig.associatedPolicies": { s, _, req in
                _ = try admin(req)
                guard let bucket = sourceObject(s)?["name"]?.stringValue else { return [] as [any Sendable] }
                let config = JSONValue.object(bucketConfig(bucket, req.state))
                return req.state.admin.policies.compactMap { policy -> (any Sendable)? in
                    guard let level = policy.level(on: bucket) else { return nil }
                    return ["policy": .object(policyValue(policy)), "bucket": config, "level": .string(level)] as JSONObject
                }
            },
            "BucketConfig.associatedRoles": { s, _, req in
                _ = try admin(req)
                guard let bucket = sourceObject(s)?["name"]?.stringValue else { return [] as [any Sendable] }
                let config = bucketConfig(bucket, req.state)
                return req.state.admin.roles.compactMap { role -> (any Sendable)? in
                    guard let level = level(of: role, on: bucket, req.state.admin) else { return nil }
                    return ["role": roleValue(role), "bucket": config, "level": level] as [String: any Sendable]
                }
            },
        ]
        for field in adminSettingFields {
            r["BucketConfig." + field] = { s, _, req in
                _ = try admin(req)
                return sourceObject(s)?[field]
            }
        }
        return r
    }()

    /// The stored settings only admins may read (`prefixes` and the associations have resolvers of their own).
    static let adminSettingFields = ["snsNotificationArn", "scannerParallelShardsDepth", "skipMetaDataIndexing", "fileExtensionsToIndex", "indexContentBytes"]

    /// `config` (the fake's defaults) with a bucket's stored settings over it: every `BucketConfig` field the input
    /// types have comes from the settings (null where they have none), except the non-null ones, which default to
    /// relevance 0, not browsable, no prefixes. Without settings (a bucket never added through `bucketAdd`),
    /// `config` as it is.
    static func withSettings(_ config: JSONObject, _ settings: JSONObject?) -> JSONObject {
        guard let settings else { return config }
        var c = config
        for key in ["title", "iconUrl", "description", "linkedData", "overviewUrl", "tags"] + adminSettingFields { c[key] = settings[key] ?? .null }
        c["relevanceScore"] = settings["relevanceScore"].nonNull ?? 0
        c["browsable"] = settings["browsable"].nonNull ?? false
        c["prefixes"] = settings["prefixes"].nonNull ?? .array([])
        return c
    }
}
