package import QuiltContract
import QuiltJSON

/// Catalog administration over the catalog's GraphQL: `admin.user` (list, get, create, `mutate(name)`),
/// `admin.ssoConfig` / `admin.setSsoConfig`, and the top-level `roles` / `defaultRole`. The catalog refuses every
/// one of them to a caller who is not an admin (a GraphQL error, mapped to `.forbidden`). Mutations are never
/// retried; their result unions map to typed errors (``typed(_:_:success:subject:idArgument:)``).
extension PlatformBackend: AdminOps {
    package var adminID: String { "catalog" }
    package var adminCapabilities: Set<AdminCapability> { Set(AdminCapability.allCases) }

    // MARK: - Users

    package func users() async throws(QuiltOpsError) -> [AdminUser] {
        let data = try await admin(.adminUsers)
        return (data["admin"]?["user"]?["list"]?.arrayValue ?? []).compactMap(Self.adminUser)
    }

    package func user(named name: String) async throws(QuiltOpsError) -> AdminUser {
        let data = try await admin(.adminUser, ["name": .string(name)])
        guard let user = data["admin"]?["user"]?["get"].flatMap(Self.adminUser) else { throw .notFound(.admin(kind: "user", name: name)) }
        return user
    }

    package func createUser(_ user: NewAdminUser) async throws(QuiltOpsError) -> AdminUser {
        try refuseWhenReadOnly("admin_user_create")
        var input: JSONObject = ["name": .string(user.name), "email": .string(user.email), "role": .string(user.role)]
        if let extra = user.extraRoles { input["extraRoles"] = .array(extra.map(JSONValue.string)) }
        let data = try await admin(.adminUserCreate, ["input": .object(input)])
        return try Self.changedUser(data["admin"]?["user"]?["create"], "AdminUserCreate", name: user.name)
    }

    package func deleteUser(named name: String) async throws(QuiltOpsError) {
        try refuseWhenReadOnly("admin_user_delete")
        let mutate = try await mutateUser(.adminUserDelete, name)
        _ = try Self.typed(mutate["delete"], "AdminUserDelete", success: "Ok", subject: ("user", name))
    }

    package func changeUser(named name: String, _ change: AdminUserChange) async throws(QuiltOpsError) -> AdminUser {
        let (operation, field, tool, variables): (CatalogOperation, String, String, JSONObject)
        switch change {
        case .email(let email):
            (operation, field, tool, variables) = (.adminUserSetEmail, "setEmail", "admin_user_set_email", ["email": .string(email)])
        case .admin(let admin):
            (operation, field, tool, variables) = (.adminUserSetAdmin, "setAdmin", "admin_user_set_admin", ["admin": .bool(admin)])
        case .active(let active):
            (operation, field, tool, variables) = (.adminUserSetActive, "setActive", "admin_user_set_active", ["active": .bool(active)])
        case .role(let role, let extra, let append):
            (operation, field, tool, variables) = (
                .adminUserSetRole, "setRole", "admin_user_set_role",
                ["role": .string(role), "extraRoles": extra.map { .array($0.map(JSONValue.string)) } ?? .null, "append": .bool(append)]
            )
        case .addRoles(let roles):
            (operation, field, tool, variables) = (.adminUserAddRoles, "addRoles", "admin_user_add_roles", ["roles": .array(roles.map(JSONValue.string))])
        case .removeRoles(let roles, let fallback):
            (operation, field, tool, variables) = (
                .adminUserRemoveRoles, "removeRoles", "admin_user_remove_roles",
                ["roles": .array(roles.map(JSONValue.string)), "fallback": fallback.map(JSONValue.string) ?? .null]
            )
        }
        try refuseWhenReadOnly(tool)
        let mutate = try await mutateUser(operation, name, variables)
        return try Self.changedUser(mutate[field], operation.name, name: name)
    }

    package func resetPassword(named name: String) async throws(QuiltOpsError) {
        try refuseWhenReadOnly("admin_user_reset_password")
        let mutate = try await mutateUser(.adminUserResetPassword, name)
        _ = try Self.typed(mutate["resetPassword"], "AdminUserResetPassword", success: "Ok", subject: ("user", name))
    }

    // MARK: - Roles

    package func roles() async throws(QuiltOpsError) -> [AdminRole] {
        let data = try await admin(.adminRoles)
        let defaultID = data["defaultRole"]?["id"]?.stringValue
        return (data["roles"]?.arrayValue ?? []).compactMap { value in
            guard var role = Self.adminRole(value) else { return nil }
            if role.kind == .managed { role.policies = (value["policies"]?.arrayValue ?? []).compactMap { $0["title"]?.stringValue } }
            role.isDefault = role.id != nil && role.id == defaultID
            return role
        }
    }

    // MARK: - Single sign-on

    package func ssoConfig() async throws(QuiltOpsError) -> SSOConfig? {
        let data = try await admin(.adminSSOConfig)
        return data["admin"]?["ssoConfig"].flatMap(Self.ssoConfig)
    }

    package func setSSOConfig(_ text: String?) async throws(QuiltOpsError) -> SSOConfig? {
        try refuseWhenReadOnly(text == nil ? "admin_sso_config_remove" : "admin_sso_config_set")
        let data = try await admin(.adminSetSSOConfig, ["config": text.map(JSONValue.string) ?? .null])
        let result = data["admin"]?["setSsoConfig"]
        // Removing answers null: nothing is stored after.
        guard let result, !result.isNull else { return nil }
        return Self.ssoConfig(try Self.typed(result, "AdminSetSSOConfig", success: "SsoConfig", subject: ("SSO configuration", "")))
    }

    // MARK: - Helpers

    /// Runs an admin operation, where this catalog's schema has catalog administration.
    func admin(_ operation: CatalogOperation, _ variables: JSONObject = [:]) async throws(QuiltOpsError) -> JSONValue {
        let features = try await schemaFeatures()
        guard features.userAdmin else {
            throw .unsupported(operation: "catalog administration", backend: "this catalog (its schema has no admin.user)")
        }
        return try await graphQL(operation, variables, features: features)
    }

    /// The `mutate(name)` object of a user mutation; `.notFound` when the catalog has no such user (null).
    func mutateUser(_ operation: CatalogOperation, _ name: String, _ variables: JSONObject = [:]) async throws(QuiltOpsError) -> JSONValue {
        var all = variables
        all["name"] = .string(name)
        let data = try await admin(operation, all)
        guard let mutate = data["admin"]?["user"]?["mutate"], !mutate.isNull else { throw .notFound(.admin(kind: "user", name: name)) }
        return mutate
    }

    /// The user of a `UserResult`, or the typed error its other members stand for.
    static func changedUser(_ result: JSONValue?, _ operation: String, name: String) throws(QuiltOpsError) -> AdminUser {
        let value = try typed(result, operation, success: "User", subject: ("user", name))
        guard let user = adminUser(value) else { throw .remote("\(operation) answered a user without its fields.", retryable: false) }
        return user
    }

    /// The errors of a result union's `InvalidInput` and `OperationError` (``typed(_:_:success:subject:idArgument:)``
    /// handles the rest): `InvalidInput` names the tool's argument (`input.extraRoles` → `extra_roles`, `id` →
    /// `idArgument`); `OperationError` is a conflict (a name, title or email taken), a refusal (`Cannot…`: an admin
    /// acting on themself), a user without a password (`SsoOnlyUser`), or the catalog's own failure. Any other
    /// member returns.
    static func adminResult(_ result: JSONValue?, _ operation: String, idArgument: String = "id") throws(QuiltOpsError) {
        switch result?["__typename"]?.stringValue {
        case "InvalidInput":
            let errors = result?["errors"]?.arrayValue ?? []
            let path = errors.first?["path"]?.stringValue
            let field = path.map { $0 == "id" ? idArgument : argumentName($0) } ?? "input"
            let reason = errors.map { e in e["message"]?.stringValue ?? e["name"]?.stringValue ?? "refused" }.joined(separator: "; ")
            throw .invalidInput(field: field, reason: reason.isEmpty ? "the catalog refused it (\(operation))." : reason)
        case "OperationError":
            let name = result?["name"]?.stringValue ?? "", message = result?["message"]?.stringValue ?? name
            if name.hasSuffix("Exists") || name.hasSuffix("InUse") { throw .conflict("\(message) (\(name)).") }
            if name.hasPrefix("Cannot") { throw .forbidden("the catalog refused \(operation): \(message) (\(name)).") }
            if name == "SsoOnlyUser" { throw .invalidInput(field: "name", reason: "the user signs in only through SSO and has no password to reset.") }
            throw CatalogError.operationError(operation: operation, name: name, message: message).quiltOpsError
        case nil:
            throw .remote("\(operation) answered without a result.", retryable: false)
        default:
            return
        }
    }

    /// The tool argument a catalog input path stands for: its last part, in snake case.
    static func argumentName(_ path: String) -> String {
        let last = path.split(separator: ".").last.map(String.init) ?? path
        var out = ""
        for c in last {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    static func adminUser(_ value: JSONValue) -> AdminUser? {
        guard let name = value["name"]?.stringValue else { return nil }
        return AdminUser(
            name: name, email: value["email"]?.stringValue ?? "", isActive: value["isActive"]?.boolValue ?? false,
            isAdmin: value["isAdmin"]?.boolValue ?? false, isSsoOnly: value["isSsoOnly"]?.boolValue ?? false,
            isService: value["isService"]?.boolValue ?? false, dateJoined: value["dateJoined"]?.stringValue,
            lastLogin: value["lastLogin"]?.stringValue, role: value["role"].flatMap(adminRole),
            extraRoles: (value["extraRoles"]?.arrayValue ?? []).compactMap(adminRole))
    }

    static func adminRole(_ value: JSONValue) -> AdminRole? {
        guard let name = value["name"]?.stringValue else { return nil }
        return AdminRole(
            id: value["id"]?.stringValue, name: name, arn: value["arn"]?.stringValue,
            kind: value["__typename"]?.stringValue == "UnmanagedRole" ? .unmanaged : .managed)
    }

    static func ssoConfig(_ value: JSONValue) -> SSOConfig? {
        guard let text = value["text"]?.stringValue else { return nil }
        return SSOConfig(text: text, timestamp: value["timestamp"]?.stringValue, uploader: value["uploader"]?["name"]?.stringValue)
    }
}
