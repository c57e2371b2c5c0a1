import Foundation
import QuiltContract
import QuiltJSON

/// Every resolver the fake catalog has, keyed `Type.field`; anything else is "not implemented" (loudly).
enum FakeResolvers {
    static let all: [String: FakeResolver] = {
        var r: [String: FakeResolver] = [:]
        for (k, v) in query { r[k] = v }
        for (k, v) in packages { r[k] = v }
        for (k, v) in mutations { r[k] = v }
        for (k, v) in search { r[k] = v }
        for (k, v) in tabulator { r[k] = v }
        for (k, v) in administration { r[k] = v }
        for (k, v) in adminUsers { r[k] = v }
        for (k, v) in adminRoles { r[k] = v }
        for (k, v) in adminPolicies { r[k] = v }
        for (k, v) in adminBuckets { r[k] = v }
        for (k, v) in adminKeys { r[k] = v }
        for (k, v) in adminPackager { r[k] = v }
        return r
    }()

    static let query: [String: FakeResolver] = [
        // A caller the admin state knows has its active and extra roles; anyone else, ReadWriteQuiltBucket.
        "Query.me": { _, _, req in
            guard let user = req.user else { return nil }
            let names = req.state.admin.user(user.name)?.allRoles ?? []
            let roles: [JSONValue] = (names.isEmpty ? ["ReadWriteQuiltBucket"] : names).map { ["name": .string($0)] }
            return ["name": .string(user.name), "email": .string(user.email), "isAdmin": .bool(user.isAdmin), "role": roles[0], "roles": .array(roles)] as JSONObject
        },
        "Query.bucketConfigs": { _, _, req in
            req.state.bucketNames.map { bucketConfig($0, req.state) as any Sendable }
        },
        "Query.bucketConfig": { _, args, req in
            guard let name = args["name"]?.stringValue, req.state.hasBucket(name) else { return nil }
            return bucketConfig(name, req.state)
        },
    ]

    /// A bucket's `BucketConfig`: the fake's defaults, or what `bucketAdd`/`bucketUpdate` stored (FakeResolvers+AdminBuckets).
    static func bucketConfig(_ name: String, _ state: FakeCatalogState) -> JSONObject {
        let defaults: JSONObject = [
            "name": .string(name), "title": .string(name), "iconUrl": .null, "description": .string("Bucket \(name) (fake catalog)"),
            "linkedData": .null, "overviewUrl": .null, "tags": .null, "relevanceScore": 0, "lastIndexed": .null, "browsable": true,
            "tabulatorTables": .array(state.tabulatorTables(name).map { ["name": .string($0.name), "config": .string($0.config)] }),
        ]
        return withSettings(defaults, state.bucketSettings.settings(name))
    }

    /// Arguments a resolver cannot do without.
    static func string(_ args: JSONObject, _ name: String) throws -> String {
        guard let s = args[name]?.stringValue else { throw FakeGraphQLError("argument \(name) is required") }
        return s
    }

    static func int(_ args: JSONObject, _ name: String, _ fallback: Int) -> Int { args[name]?.intValue ?? fallback }
}

extension FakeResolvers {
    /// Runs `body`, keeping its typed error (Swift has no async `Result.init(catching:)`).
    static func attempt<T>(_ body: () async throws(QuiltOpsError) -> T) async -> Result<T, QuiltOpsError> {
        do throws(QuiltOpsError) { return .success(try await body()) } catch { return .failure(error) }
    }
}
