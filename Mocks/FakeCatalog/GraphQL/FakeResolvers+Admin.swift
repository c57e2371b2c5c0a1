import Foundation
import QuiltJSON

/// Catalog administration: roles and policies (read; changes in +AdminRoles/+AdminPolicies), the SSO config, and how
/// admin values look to GraphQL.
/// Admins only, as on the catalog: the top-level `roles`/`role`/`defaultRole`/`policies`/`policy` refuse anyone
/// else with a GraphQL error, and everything under `admin` is refused at its root. Users: FakeResolvers+AdminUsers.
extension FakeResolvers {
    static let administration: [String: FakeResolver] = [
        "Query.roles": { _, _, req in
            _ = try admin(req)
            return req.state.admin.roles.map { roleValue($0) as any Sendable }
        },
        "Query.role": { _, args, req in
            _ = try admin(req)
            return req.state.admin.role(id: try id(args)).map(roleValue)
        },
        "Query.defaultRole": { _, _, req in
            _ = try admin(req)
            return req.state.admin.defaultRole.map(roleValue)
        },
        "Query.policies": { _, _, req in
            _ = try admin(req)
            return req.state.admin.policies.map { policyValue($0) as any Sendable }
        },
        "Query.policy": { _, args, req in
            _ = try admin(req)
            return req.state.admin.policy(id: try id(args)).map(policyValue)
        },
        "Policy.permissions": { s, _, req in
            guard let policy = sourceID(s).flatMap(req.state.admin.policy(id:)) else { return [] as [any Sendable] }
            return policy.grants(in: req.state.bucketNames).map { g -> any Sendable in
                ["policy": .object(policyValue(policy)), "bucket": .object(bucketConfig(g.bucket, req.state)), "level": .string(g.level)] as JSONObject
            }
        },
        "Policy.roles": { s, _, req in
            guard let id = sourceID(s) else { return [] as [any Sendable] }
            return req.state.admin.roles.filter { $0.policies?.contains(id) == true }.map { roleObject($0) as any Sendable }
        },
        "ManagedRole.policies": { s, _, req in
            let ids = sourceID(s).flatMap(req.state.admin.role(id:))?.policies ?? []
            return ids.compactMap(req.state.admin.policy(id:)).map { policyValue($0) as any Sendable }
        },
        "ManagedRole.permissions": { s, _, req in
            guard let role = sourceID(s).flatMap(req.state.admin.role(id:)) else { return [] as [any Sendable] }
            return req.state.bucketNames.compactMap { bucket -> (any Sendable)? in
                guard let level = level(of: role, on: bucket, req.state.admin) else { return nil }
                return ["role": roleValue(role), "bucket": bucketConfig(bucket, req.state), "level": level] as [String: any Sendable]
            }
        },
        "AdminQueries.user": { _, _, req in try admin(req) },
        "AdminMutations.user": { _, _, req in try admin(req) },
        "AdminQueries.ssoConfig": { _, _, req in req.state.admin.ssoConfig.map { ssoValue($0, req.state.admin) } },
        "AdminQueries.isDefaultRoleSettingDisabled": { _, _, req in req.state.admin.ssoConfig != nil },
        "AdminMutations.setSsoConfig": { _, args, req in
            guard let caller = req.user else { return try admin(req) }
            let state = req.state.admin
            let uploader =
                state.user(caller.name)
                ?? FakeAdminUser(name: caller.name, email: caller.email, dateJoined: state.now, lastLogin: state.now, isAdmin: caller.isAdmin)
            switch state.setSsoConfig(args["config"]?.stringValue, uploader: uploader) {
            case .success(let config): return config.map { Typed("SsoConfig", ssoValue($0, state)) }
            case .failure(let refusal): return typed(refusal)
            }
        },
    ]

    // MARK: - Values

    /// A role as the `Role` union: ManagedRole when it is made of policies, UnmanagedRole otherwise. Its policies and
    /// permissions resolve from its `id`.
    static func roleValue(_ role: FakeAdminRole) -> Typed {
        Typed(role.policies == nil ? "UnmanagedRole" : "ManagedRole", roleObject(role))
    }

    static func roleObject(_ role: FakeAdminRole) -> JSONObject {
        ["id": .string(role.id), "name": .string(role.name), "arn": .string(role.arn)]
    }

    /// A policy's own fields; its permissions and roles resolve from its `id`.
    static func policyValue(_ policy: FakeAdminPolicy) -> JSONObject {
        ["id": .string(policy.id), "title": .string(policy.title), "arn": .string(policy.arn), "managed": .bool(policy.managed)]
    }

    /// A `User`, its roles (kept by name) as `Role` values; names that are no role any more are left out.
    static func userValue(_ user: FakeAdminUser, _ state: FakeAdminState) -> [String: any Sendable] {
        var value: [String: any Sendable] = [
            "name": user.name, "email": user.email, "dateJoined": user.dateJoined, "lastLogin": user.lastLogin,
            "isActive": user.isActive, "isAdmin": user.isAdmin, "isSsoOnly": user.isSsoOnly, "isService": user.isService,
            "extraRoles": user.extraRoles.compactMap(state.role(named:)).map { roleValue($0) as any Sendable },
            "isRoleAssignmentDisabled": false, "isAdminAssignmentDisabled": false,
        ]
        if let role = user.role.flatMap(state.role(named:)) { value["role"] = roleValue(role) }
        return value
    }

    static func ssoValue(_ config: FakeSsoConfig, _ state: FakeAdminState) -> [String: any Sendable] {
        ["text": config.text, "timestamp": config.timestamp, "uploader": userValue(config.uploader, state)]
    }

    /// A refusal as the catalog answers it: `InvalidInput` (every bad field) or `OperationError`.
    static func typed(_ refusal: FakeAdminRefusal) -> Typed {
        switch refusal {
        case .invalid(let errors):
            let list: [JSONValue] = errors.map { ["path": .string($0.path), "message": .string($0.message), "name": .string($0.name), "context": .null] }
            return Typed("InvalidInput", ["errors": .array(list)] as JSONObject)
        case .operation(let name, let message):
            return operationError(name, message)
        }
    }

    /// What a managed role grants on `bucket`: the highest level among its policies' (nil: none).
    static func level(of role: FakeAdminRole, on bucket: String, _ state: FakeAdminState) -> String? {
        let levels = (role.policies ?? []).compactMap(state.policy(id:)).compactMap { $0.level(on: bucket) }
        return levels.isEmpty ? nil : levels.contains("READ_WRITE") ? "READ_WRITE" : "READ"
    }

    /// The `id` member of a JSON object parent (roles and policies).
    static func sourceID(_ source: any Sendable) -> String? { sourceObject(source)?["id"]?.stringValue }

    /// A parent made of JSON (a `JSONObject`, or a `JSONValue` object).
    static func sourceObject(_ source: any Sendable) -> JSONObject? { (source as? JSONObject) ?? (source as? JSONValue)?.objectValue }

    /// An `ID!` argument (a string, or an integer as GraphQL allows).
    static func id(_ args: JSONObject) throws -> String {
        if let s = args["id"]?.stringValue { return s }
        if let i = args["id"]?.intValue { return String(i) }
        throw FakeGraphQLError("argument id is required")
    }
}
